package dev.herald.core.batch;

import java.util.List;

/** What it takes to (re)start a batch's workflow: the batch and its subscription's schedule. */
public record BatchStart(Batch batch, List<Integer> retrySchedule) {

  public BatchStart {
    retrySchedule = List.copyOf(retrySchedule);
  }
}
