package dev.herald.core.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A receiver's verification in Node ({@code verifiers/verify.mjs}: {@code crypto.createHmac} and
 * {@code timingSafeEqual} over the raw body), run by {@code node} as a receiver would run it.
 */
public final class NodeVerifier {

  private static Path script;

  private NodeVerifier() {}

  /**
   * Runs {@code node verify.mjs <scheme> <secret> <header> <body file> <extra>} and returns the
   * one line it printed: {@code valid}, or why not.
   */
  public static String verify(String scheme, String secret, String header, byte[] body, String extra) {
    try {
      Path bodyFile = Files.createTempFile("herald-body", ".bin");
      try {
        Files.write(bodyFile, body);
        Process process =
            new ProcessBuilder("node", script().toString(), scheme, secret, header, bodyFile.toString(), extra)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("node did not finish in 30 s");
        }
        if (process.exitValue() != (output.equals("valid") ? 0 : 1)) {
          throw new AssertionError("node exited " + process.exitValue() + ": " + output);
        }
        return output;
      } finally {
        Files.deleteIfExists(bodyFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The script as a file: from the classpath, which may be a jar when another module runs it. */
  private static synchronized Path script() throws IOException {
    if (script == null) {
      Path copy = Files.createTempFile("herald-verify", ".mjs");
      try (InputStream in = NodeVerifier.class.getResourceAsStream("/verifiers/verify.mjs")) {
        if (in == null) {
          throw new IllegalStateException("verifiers/verify.mjs is not on the classpath");
        }
        Files.write(copy, in.readAllBytes());
      }
      copy.toFile().deleteOnExit();
      script = copy;
    }
    return script;
  }
}
