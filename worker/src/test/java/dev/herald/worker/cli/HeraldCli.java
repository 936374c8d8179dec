package dev.herald.worker.cli;

import dev.herald.worker.Herald;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs the real {@code herald} command line in this JVM and captures what it printed. */
public final class HeraldCli {

  private HeraldCli() {}

  /** {@code herald <args>}. */
  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Herald());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** {@code herald tenant <args> --database-url <databaseUrl>}. */
  public static Run tenant(String databaseUrl, String... args) {
    List<String> all = new ArrayList<>();
    all.add("tenant");
    all.addAll(Arrays.asList(args));
    all.add("--database-url");
    all.add(databaseUrl);
    return run(all.toArray(String[]::new));
  }

  /** What a call printed and its exit code. */
  public record Run(int exitCode, String out, String err) {

    /** The value printed after {@code label} on a line of the form {@code label  value}. */
    public String value(String label) {
      return out.lines()
          .filter(line -> line.startsWith(label + " "))
          .map(line -> line.substring(label.length()).trim())
          .findFirst()
          .orElseThrow(() -> new AssertionError("no line '" + label + "' in:\n" + out + err));
    }

    /** The lines of stdout whose first column is {@code first}, split into columns. */
    public List<String> row(String first) {
      return out.lines()
          .filter(line -> line.startsWith(first + " "))
          .map(line -> List.of(line.split("\\s{2,}")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no row '" + first + "' in:\n" + out + err));
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
