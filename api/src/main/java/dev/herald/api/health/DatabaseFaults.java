package dev.herald.api.health;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.apache.tomcat.jdbc.pool.PoolExhaustedException;

/**
 * Tells an exception that means PostgreSQL cannot be reached (connection refused or lost, the
 * server shutting down or starting, no pooled connection in time) from one that is a bug, such as
 * a syntax error: the first answers 503 and is an outage, the second stays a 500.
 */
public final class DatabaseFaults {

  /** Operator intervention (class 57): the server is shutting down or starting up. */
  private static final Set<String> SERVER_GOING_OR_COMING = Set.of("57P01", "57P02", "57P03");

  private DatabaseFaults() {}

  /**
   * Why PostgreSQL is unreachable, briefly, if {@code e} or what it wraps says it is (SQLState
   * class 08, a refused connection, a pool timeout); null if the exception means something else.
   */
  public static String unreachable(Throwable e) {
    boolean unreachable = false;
    String brief = null;
    int depth = 0;
    for (Throwable t = e; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (t instanceof PoolExhaustedException) {
        return "no pooled connection came free in time";
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (t instanceof SQLTransientConnectionException
            || state != null && (state.startsWith("08") || SERVER_GOING_OR_COMING.contains(state))) {
          unreachable = true;
          if (brief == null) {
            brief = firstSentence(sql.getMessage()) + (state == null ? "" : " (SQLState " + state + ")");
          }
        }
      } else if (t instanceof ConnectException) {
        unreachable = true;
        if (brief == null) {
          brief = "connection refused";
        }
      }
    }
    return unreachable ? brief : null;
  }

  private static String firstSentence(String message) {
    if (message == null || message.isBlank()) {
      return "no connection";
    }
    String line = message.strip().lines().findFirst().orElse("");
    int stop = line.indexOf(". ");
    String sentence = stop > 0 ? line.substring(0, stop) : line;
    if (sentence.endsWith(".")) {
      sentence = sentence.substring(0, sentence.length() - 1);
    }
    return sentence.length() > 160 ? sentence.substring(0, 160) + "…" : sentence;
  }
}
