package dev.herald.api.views;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;

/**
 * Every time the API shows, in one form: RFC 3339 in UTC with exactly three fraction digits
 * ({@code 2026-12-01T05:16:39.909Z}, {@code 2026-12-01T05:16:40.000Z}). Some times are stored
 * with microseconds (those of attempts, for one); they are shown truncated to the millisecond,
 * and a fixed width keeps the texts in time order when compared as strings.
 */
public final class MillisecondInstants extends SimpleModule {

  /** The form of every time in an API answer. */
  public static final DateTimeFormatter FORMAT =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  public MillisecondInstants() {
    super("herald-millisecond-instants");
    addSerializer(Instant.class, new Serializer());
  }

  /** {@code instant} as the API shows it. */
  public static String format(Instant instant) {
    return FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  private static final class Serializer extends StdSerializer<Instant> {

    Serializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(format(value));
    }
  }
}
