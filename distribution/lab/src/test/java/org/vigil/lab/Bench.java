package org.vigil.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Shared bits of the lab benchmarks: properties, the results file and its label, windows, statistics. */
final class Bench {
    private Bench() {
    }

    static boolean enabled() {
        return Boolean.getBoolean("vigil.bench");
    }

    static long ticksPerSecond() {
        return Long.parseLong(Sh.ok("getconf", "CLK_TCK").strip());
    }

    /**
     * The label of a run: date, the Vigil commit (the BENCH-SOURCE note of a private copy of the distribution,
     * which says what it was built from; else the repository's HEAD), keepalived's version, the host.
     */
    static String label() {
        Path dist = LabEnv.dist();
        String vigil;
        try {
            Path note = dist.resolve("BENCH-SOURCE");
            vigil = Files.exists(note) ? Files.readString(note).strip() : null;
        } catch (IOException e) {
            vigil = null;
        }
        if (vigil == null) {
            String head = Sh.quiet("git", "rev-parse", "--short=12", "HEAD").out().strip();
            String dirty = Sh.quiet("git", "status", "--porcelain", "--", "../../bundles").out().isBlank() ? ""
                    : ", bundles/ had uncommitted changes";
            vigil = "Vigil: repository HEAD " + head + dirty + " at run time";
        }
        String ka = Sh.quiet("/usr/sbin/keepalived", "--version").err().lines().findFirst().orElse("keepalived ?");
        String load;
        try {
            load = String.join(" ", java.util.Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            load = "?";
        }
        return String.format(Locale.ROOT, "run %s; %s; dist %s; %s; kernel %s, %d cores, load average at start %s",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replaceAll("\\.\\d+", ""), vigil,
                dist, ka.strip(), Sh.quiet("uname", "-r").out().strip(), Runtime.getRuntime().availableProcessors(), load);
    }

    /** Writes the table to results/NAME.txt and prints it. */
    static void write(String name, String table) {
        System.out.println(table);
        Path out = Path.of(System.getProperty("vigil.lab.results", "results")).resolve(name + ".txt");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A measurement window: the processes are observed while it runs; nothing to wait for. */
    static void hold(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        try {
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU of the daemon's process tree over the window, in % of one core (from /proc stat ticks, CLK_TCK). */
    static double cpuPercent(Daemon d, java.time.Duration window) {
        long t0 = d.cpuTicks();
        long n0 = System.nanoTime();
        hold(window.toMillis() / 1000.0);
        long t1 = d.cpuTicks();
        double seconds = (System.nanoTime() - n0) / 1e9;
        return 100.0 * (t1 - t0) / ticksPerSecond() / seconds;
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Lines of the log after the mark that contain the text, counted. */
    static int count(Daemon d, String text, int mark) {
        return d.linesWith(text, mark).size();
    }

    /** Lines written to the log after the mark. */
    static long lines(Daemon d, int mark) {
        String t = d.logText();
        return t.substring(Math.min(mark, t.length())).lines().count();
    }

    /** A helper process (stress-ng, the flood sender) stopped by its PID and its descendants' PIDs. */
    static final class Helper implements AutoCloseable {
        final Process process;
        final Path out;

        Helper(Path out, List<String> cmd) {
            this.out = out;
            try {
                Files.createDirectories(out.getParent());
                process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + cmd, e);
            }
        }

        String output() {
            try {
                return Files.readString(out);
            } catch (IOException e) {
                return "";
            }
        }

        /** SIGTERM to the process, then (after the grace time) SIGKILL to it and to whatever it left. */
        void stop(long graceMillis) {
            List<Long> tree = new ArrayList<>();
            tree.add(process.pid());
            process.descendants().forEach(ph -> tree.add(ph.pid()));
            Sh.run(List.of("kill", "-TERM", Long.toString(process.pid())));
            try {
                process.waitFor(graceMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
            for (long p : tree) {
                if (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) {
                    kill.add(Long.toString(p));
                }
            }
            if (kill.size() > 2) {
                Sh.quiet(kill.toArray(String[]::new));
            }
        }

        @Override
        public void close() {
            if (process.isAlive() || process.descendants().findAny().isPresent()) {
                stop(3000);
            }
        }
    }
}
