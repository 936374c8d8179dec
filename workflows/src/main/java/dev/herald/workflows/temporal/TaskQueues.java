package dev.herald.workflows.temporal;

/** Task queue names. */
public final class TaskQueues {

  /** Where delivery workflows and their activities run. */
  public static final String DELIVERIES = "herald-deliveries";

  private TaskQueues() {}
}
