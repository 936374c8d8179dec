package dev.herald.worker.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time spent by this JVM, by the PostgreSQL server's processes and by the whole machine
 * between two readings: what a delivery costs in CPU on each side of the throughput comparison,
 * which on two shared cores is what decides the ratio. PostgreSQL and the machine are read from
 * Linux's {@code /proc}; elsewhere they read as unknown.
 */
final class CpuMeter {

  /** Linux's clock ticks per second for {@code /proc} times ({@code getconf CLK_TCK}). */
  private static final double TICKS_PER_SECOND = 100;

  /**
   * CPU used so far: this JVM's and the machine's nanoseconds (-1 when unknown), and each
   * PostgreSQL process's clock ticks by pid (null when unknown).
   */
  record Reading(long jvmNanos, Map<Long, Long> postgresTicks, long machineNanos) {

    /**
     * Milliseconds per delivery of each, from {@code earlier} to this reading over {@code n}.
     * PostgreSQL counts the processes alive now (a backend that ended meanwhile is left out, as
     * its time can no longer be read).
     */
    Cost per(Reading earlier, int n) {
      double postgres = Double.NaN;
      if (postgresTicks != null && earlier.postgresTicks != null) {
        long ticks = 0;
        for (Map.Entry<Long, Long> p : postgresTicks.entrySet()) {
          ticks += p.getValue() - earlier.postgresTicks.getOrDefault(p.getKey(), 0L);
        }
        postgres = ticks / TICKS_PER_SECOND * 1e3 / n;
      }
      return new Cost(ms(jvmNanos, earlier.jvmNanos, n), postgres, ms(machineNanos, earlier.machineNanos, n));
    }

    private static double ms(long now, long before, int n) {
      return now < 0 || before < 0 ? Double.NaN : (now - before) / 1e6 / n;
    }
  }

  /** CPU milliseconds per delivery (NaN when unknown). */
  record Cost(double jvmMs, double postgresMs, double machineMs) {

    /**
     * What the rest of the machine used meanwhile: its busy time less this JVM's and
     * PostgreSQL's (the build tool that launched the benchmark, other work on a shared machine).
     */
    double othersMs() {
      return machineMs - jvmMs - (Double.isNaN(postgresMs) ? 0 : postgresMs);
    }

    /** {@link #othersMs} as a share of the machine's busy time. */
    double othersShare() {
      return othersMs() / machineMs;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT,
          "CPU %.2f ms per delivery (JVM %.2f, PostgreSQL %.2f, other processes %.2f)",
          machineMs, jvmMs, postgresMs, othersMs());
    }
  }

  private CpuMeter() {}

  /**
   * Each live thread's CPU nanoseconds and allocated bytes so far, and this JVM's CPU, at one
   * instant.
   */
  record Threads(Map<Long, Long> nanosById, Map<Long, Long> bytesById, Map<Long, String> names,
      long jvmNanos, Map<Long, VmThread> vmThreads) {}

  /** One of the JVM's own threads: its kind ({@code gc} or {@code jit}) and CPU nanoseconds. */
  record VmThread(String kind, long nanos) {}

  /** A process's or thread's name and user + system clock ticks, from its {@code stat} file. */
  private record Stat(String name, long ticks) {

    static Stat read(Path stat) throws IOException {
      String text = Files.readString(stat);
      int close = text.lastIndexOf(')');
      // Fields after the name: state is field 3, utime 14 and stime 15 (1-based).
      String[] f = text.substring(close + 2).split(" ");
      return new Stat(text.substring(text.indexOf('(') + 1, close),
          Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }
  }

  static Threads threads() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, Long> bytes = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null) {
        long used = mx.getThreadCpuTime(t.getThreadId());
        if (used >= 0) {
          nanos.put(t.getThreadId(), used);
          names.put(t.getThreadId(), t.getThreadName());
          if (mx instanceof com.sun.management.ThreadMXBean sun) {
            bytes.put(t.getThreadId(), sun.getThreadAllocatedBytes(t.getThreadId()));
          }
        }
      }
    }
    return new Threads(nanos, bytes, names, jvmNanos(), vmThreads());
  }

  /**
   * The JVM's own threads that no {@link ThreadMXBean} lists, by Linux thread id: {@code gc}
   * (G1's workers, refinement and marking threads) and {@code jit} (the C1 and C2 compilers),
   * read from {@code /proc/self/task}; empty elsewhere. A compiler thread the JVM ends meanwhile
   * takes its time with it (that time is left in {@code vm}).
   */
  private static Map<Long, VmThread> vmThreads() {
    Map<Long, VmThread> threads = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return threads;
    }
    try (Stream<Path> entries = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) entries::iterator) {
        try {
          Stat stat = Stat.read(task.resolve("stat"));
          String kind = stat.name().startsWith("GC Thread") || stat.name().startsWith("G1 ") ? "gc"
              : stat.name().startsWith("C1 Compiler") || stat.name().startsWith("C2 Compiler")
                  ? "jit" : null;
          if (kind != null) {
            threads.put(Long.parseLong(task.getFileName().toString()),
                new VmThread(kind, Math.round(stat.ticks() / TICKS_PER_SECOND * 1e9)));
          }
        } catch (IOException | RuntimeException gone) {
          // A thread that ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return threads;
  }

  /**
   * What this JVM's threads allocated from {@code before} to {@code after} in KB per delivery,
   * summed by role, largest first: unlike CPU time, the same on a busy machine as on an idle
   * one, so that a change's effect on a side's work shows between two runs.
   */
  static String allocatedPerDelivery(Threads before, Threads after, int n) {
    Map<String, Long> roles = new TreeMap<>();
    for (Map.Entry<Long, Long> t : after.bytesById().entrySet()) {
      long used = t.getValue() - before.bytesById().getOrDefault(t.getKey(), 0L);
      roles.merge(role(after.names().get(t.getKey())), used, Long::sum);
    }
    return roles.entrySet().stream()
        .filter(e -> e.getValue() / 1e3 / n >= 0.5)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue() / 1e3 / n))
        .collect(Collectors.joining(", "));
  }

  /**
   * What this JVM's threads used from {@code before} to {@code after} in ms per delivery, summed
   * by the role their names give them ({@link #role}), largest first; {@code vm} is what no Java
   * thread alive at the end accounts for, less what {@code gc} (the garbage collector's threads)
   * and {@code jit} (the compiler's) used where Linux tells them: the JVM's other threads, and
   * threads that ended meanwhile.
   */
  static String perDelivery(Threads before, Threads after, int n) {
    Map<String, Long> roles = new TreeMap<>();
    long sum = 0;
    for (Map.Entry<Long, Long> t : after.nanosById().entrySet()) {
      long used = t.getValue() - before.nanosById().getOrDefault(t.getKey(), 0L);
      roles.merge(role(after.names().get(t.getKey())), used, Long::sum);
      sum += used;
    }
    for (Map.Entry<Long, VmThread> t : after.vmThreads().entrySet()) {
      VmThread earlier = before.vmThreads().get(t.getKey());
      long used = t.getValue().nanos() - (earlier == null ? 0 : earlier.nanos());
      roles.merge(t.getValue().kind(), used, Long::sum);
      sum += used;
    }
    roles.put("vm", after.jvmNanos() - before.jvmNanos() - sum);
    return roles.entrySet().stream()
        .filter(e -> e.getValue() / 1e6 / n >= 0.005)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e6 / n))
        .collect(Collectors.joining(", "));
  }

  /** A thread's role from its name: Herald's, the SDK's, the in-memory server's or the bench's. */
  static String role(String name) {
    if (name.startsWith("dw-")) {
      return "api";
    }
    if (name.contains("bench-bare")) {
      return "bare-sdk";
    }
    // The durable floor's worker: its pollers, workflow task executors and local activities
    // (workflow code itself runs on the SDK's "workflow-thread-N", whichever worker it is, and
    // counts as herald-sdk below).
    if (name.contains("bench-floor")) {
      return "floor-worker";
    }
    if (name.startsWith("Local Activity")) {
      return "attempts";
    }
    if (name.startsWith("workflow-") || name.startsWith("Workflow ") || name.contains("Poller")
        || name.startsWith("Activity ")) {
      return "herald-sdk";
    }
    if (name.startsWith("grpc-default-executor")) {
      return "grpc-executor";
    }
    if (name.startsWith("grpc-") || name.contains("ELG")) {
      return "grpc-net";
    }
    if (name.equals("Timer task") || name.startsWith("SelfAdvancingTimer")) {
      return "server-timers";
    }
    if (name.startsWith("herald-handoff")) {
      return "handoff";
    }
    if (name.startsWith("bench-") || name.startsWith("HttpClient-")) {
      return "bench";
    }
    return "other";
  }

  /** The 1, 5 and 15 minute load averages, where Linux tells them; else "unknown". */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static Reading read() {
    return new Reading(jvmNanos(), postgresTicks(), machineNanos());
  }

  private static long jvmNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** user + system clock ticks of every process named {@code postgres}, by pid. */
  private static Map<Long, Long> postgresTicks() {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return null;
    }
    Map<Long, Long> ticks = new HashMap<>();
    try (Stream<Path> entries = Files.list(proc)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String pid = p.getFileName().toString();
        if (!pid.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          Stat stat = Stat.read(p.resolve("stat"));
          if (stat.name().equals("postgres")) {
            ticks.put(Long.parseLong(pid), stat.ticks());
          }
        } catch (IOException | RuntimeException gone) {
          // A backend that ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      return null;
    }
    return ticks;
  }

  /** Busy time of all CPUs: user, nice, system, irq, softirq and steal of {@code /proc/stat}. */
  private static long machineNanos() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      String[] f = lines.get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return Math.round(busy / TICKS_PER_SECOND * 1e9);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
