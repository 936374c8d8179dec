package dev.herald.api;

/**
 * A part of the process wired after the API's own: the worker module adds the Temporal worker
 * and the sweeper this way, so that the API never depends on the activities.
 */
@FunctionalInterface
public interface HeraldExtension {
  void run(HeraldContext context) throws Exception;
}
