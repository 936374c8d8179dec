package dev.herald.core.event;

/** An event id was published before with a different body. */
public final class EventIdConflictException extends RuntimeException {

  public EventIdConflictException(String eventId) {
    super("event " + eventId + " was already published with a different body");
  }
}
