package dev.herald.core.job;

import java.util.Arrays;

/** Where a job stands. */
public enum JobStatus {
  /** Still working, or waiting for the worker or the sweeper to go on with it. */
  RUNNING("running"),
  /** A batch found nothing left to do. */
  COMPLETED("completed"),
  /** It could not finish: its subscription was deleted, or its workflow was terminated. */
  FAILED("failed");

  private final String wireName;

  JobStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The status as an SQL literal: {@code 'running'}. */
  public String sql() {
    return "'" + wireName + "'";
  }

  public static JobStatus fromWireName(String name) {
    return Arrays.stream(values())
        .filter(s -> s.wireName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown job status " + name));
  }
}
