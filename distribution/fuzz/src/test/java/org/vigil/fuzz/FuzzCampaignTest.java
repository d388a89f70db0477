package org.vigil.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long fuzzing campaign, only with {@code -Dvigil.fuzz=true}: each target in turn
 * ({@code -Dvigil.fuzz.targets=codec,config,ah}) runs under Jazzer's own driver, in a child JVM at
 * {@code nice 10}, for {@code -Dvigil.fuzz.runs} inputs (10 million by default), seeded from the
 * committed seeds and corpus; the corpus it grows is then minimised ({@code -merge=1}) and, with
 * {@code -Dvigil.fuzz.merge=true} (the default), replaces the committed one. Figures go to
 * {@code results/fuzz.txt}, libFuzzer's output to {@code target/fuzz/TARGET/fuzz.log}, crash
 * inputs to {@code target/fuzz/TARGET/}. Fails when a target found a crash.
 */
@EnabledIfSystemProperty(named = "vigil.fuzz", matches = "true")
class FuzzCampaignTest {
    private static final Pattern STATUS = Pattern.compile("^#(\\d+)\\s+(\\w+)\\s+cov: (\\d+) ft: (\\d+) corp: (\\d+)/(\\S+)");
    private static final Pattern DONE = Pattern.compile("^Done (\\d+) runs in (\\d+) second");
    private static final Pattern STAT = Pattern.compile("^stat::(\\w+):\\s+(\\d+)");
    private static final Pattern ARTIFACT = Pattern.compile("Test unit written to (\\S+)");

    private final Path basedir = Path.of(System.getProperty("vigil.fuzz.basedir", "."));
    private final Path resources = basedir.resolve("src/test/resources/org/vigil/fuzz");
    private final long runs = Long.getLong("vigil.fuzz.runs", 10_000_000L);
    private final long maxSeconds = Long.getLong("vigil.fuzz.maxSeconds", 4 * 3600L);
    private final boolean merge = Boolean.parseBoolean(System.getProperty("vigil.fuzz.merge", "true"));
    /**
     * Fuzzing processes per target (libFuzzer's -jobs, done here so that each one's figures can be
     * read): each runs its share of the inputs on the one corpus directory, which libFuzzer
     * reloads, so they learn from one another. The targets still run one after the other.
     */
    private final int jobs = Integer.getInteger("vigil.fuzz.jobs", 1);
    /** Targets whose last run (target/fuzz/TARGET/fuzz.log) is reported again instead of run. */
    private final List<String> reuse = List.of(System.getProperty("vigil.fuzz.reuse", "").split(","));
    /** The class path, copied once: a jar that another build reinstalls in ~/.m2 meanwhile stays as it was. */
    private String classPath;

    @Test
    void campaign() throws Exception {
        List<String> targets = List.of(System.getProperty("vigil.fuzz.targets", "codec,config,ah").split(","));
        List<Result> results = new ArrayList<>();
        for (String target : targets) {
            results.add(fuzz(target.strip()));
        }
        writeResults(results);
        for (Result r : results) {
            assertThat(r.crashes).as(r.target + " crashes (inputs in target/fuzz/" + r.target + ")").isEmpty();
            assertThat(r.runs).as(r.target + " inputs executed").isGreaterThanOrEqualTo(runs);
        }
    }

    private Result fuzz(String target) throws Exception {
        String targetClass = switch (target) {
            case "codec" -> CodecFuzzer.class.getName();
            case "config" -> ConfigFuzzer.class.getName();
            case "ah" -> AhFuzzer.class.getName();
            default -> throw new IllegalArgumentException("unknown fuzz target " + target + " (codec, config, ah)");
        };
        Path work = basedir.resolve("target/fuzz").resolve(target);
        Path grown = work.resolve("corpus");
        Files.createDirectories(grown);
        Path committed = resources.resolve("corpus").resolve(target);
        Path seeds = resources.resolve("seeds").resolve(target);
        Path crashes = resources.resolve("crashes").resolve(target);
        Files.createDirectories(committed);
        Result r = new Result(target);
        r.corpusBefore = count(committed);

        List<String> cmd = jazzer(targetClass);
        cmd.add("-runs=" + runs);
        cmd.add("-max_total_time=" + maxSeconds);
        // wall time: generous, so that a machine shared with other work does not report a hang
        // (ConfigFuzzer bounds each input's CPU time itself)
        cmd.add("-timeout=60");
        cmd.add("-rss_limit_mb=3072");
        // codec: room for 255 IPv6 addresses; config: 1 KiB of keepalived.conf keeps it near 3,000 exec/s
        cmd.add("-max_len=" + (target.equals("config") ? 1024 : 4200));
        // go on after a finding, so that one run reports all it finds (timeouts and OOMs still stop it)
        cmd.add("--keep_going=50");
        // inputs that cost more (substitution up to its bound, say) are chosen less often
        cmd.add("-entropic_scale_per_exec_time=1");
        cmd.add("-print_final_stats=1");
        cmd.add("-artifact_prefix=" + work + "/");
        cmd.add("--reproducer_path=" + work);
        Path dict = resources.resolve(target + ".dict");
        if (Files.exists(dict)) {
            cmd.add("-dict=" + dict);
        }
        cmd.add(grown.toString());
        // not the crash reproducers: some are slow by nature (they hit a bound), CorpusReplayTest runs them
        for (Path dir : List.of(committed, seeds)) {
            if (Files.isDirectory(dir)) {
                cmd.add(dir.toString());
            }
        }
        r.command = String.join(" ", cmd);
        Instant start = Instant.now();
        int exit;
        if (reuse.contains(target) && Files.exists(work.resolve("fuzz.log"))) {
            // figures of a finished run of this target, read again from its log
            exit = parse(Files.readAllLines(work.resolve("fuzz.log"), StandardCharsets.UTF_8), r);
            r.command = "(figures read from the log of an earlier run) " + r.command;
            r.wallSeconds = -1;
        } else {
            deleteTree(grown);
            Files.createDirectories(grown);
            exit = jobs <= 1 ? run(cmd, work.resolve("fuzz.log"), r) : runJobs(cmd, work, r);
        }
        if (r.wallSeconds >= 0) {
            r.wallSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        }
        r.exit = exit;

        if (merge && !reuse.contains(target)) {
            Path min = work.resolve("min");
            deleteTree(min);
            Files.createDirectories(min);
            List<String> mergeCmd = jazzer(targetClass);
            // the smallest set of inputs that keeps every edge (hit counts ignored): a corpus small enough to commit
            mergeCmd.add("-merge=1");
            mergeCmd.add("-set_cover_merge=1");
            mergeCmd.add("-use_counters=0");
            mergeCmd.add("-timeout=60");
            mergeCmd.add("-artifact_prefix=" + work + "/merge-");
            mergeCmd.add("--reproducer_path=" + work);
            mergeCmd.add("-rss_limit_mb=3072");
            mergeCmd.add(min.toString());
            mergeCmd.add(committed.toString());
            mergeCmd.add(grown.toString());
            if (Files.isDirectory(seeds)) {
                mergeCmd.add(seeds.toString());
            }
            int mergeExit = run(mergeCmd, work.resolve("merge.log"), null);
            if (mergeExit == 0 && count(min) > 0) {
                try (Stream<Path> old = Files.list(committed)) {
                    for (Path f : old.toList()) {
                        Files.delete(f);
                    }
                }
                try (Stream<Path> fresh = Files.list(min)) {
                    for (Path f : fresh.toList()) {
                        Files.copy(f, committed.resolve(f.getFileName()));
                    }
                }
            }
        }
        r.corpusAfter = count(committed);
        return r;
    }

    private List<String> jazzer(String targetClass) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("nice");
        cmd.add("-n");
        cmd.add("10");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-XX:+UseParallelGC");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("com.code_intelligence.jazzer.Jazzer");
        cmd.add("--target_class=" + targetClass);
        // coverage of Vigil's code only: the JDK, Jimfs and Guava are not what is under test
        cmd.add("--instrumentation_includes=org.vigil.**");
        // RegexRoadblocks guides the fuzzer through every regex match and cost 5x in exec/s on the
        // lexer's per-line patterns; RegexInjection reports the file system's glob-to-regex
        // translation, which throws on a malformed glob by design (the lexer catches that)
        cmd.add("--disabled_hooks=com.code_intelligence.jazzer.sanitizers.RegexRoadblocks"
                + ":com.code_intelligence.jazzer.sanitizers.RegexInjection");
        return cmd;
    }

    private String classPath() throws IOException {
        if (classPath == null) {
            Path lib = basedir.resolve("target/fuzz/lib");
            deleteTree(lib);
            Files.createDirectories(lib);
            List<String> entries = new ArrayList<>();
            int i = 0;
            for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                    .split(java.io.File.pathSeparator)) {
                Path p = Path.of(entry);
                if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                    Path copy = lib.resolve((i++) + "-" + p.getFileName());
                    Files.copy(p, copy);
                    entries.add(copy.toString());
                } else {
                    entries.add(entry);
                }
            }
            classPath = String.join(java.io.File.pathSeparator, entries);
        }
        return classPath;
    }

    /** {@link #jobs} copies of {@code cmd} at once, {@code runs / jobs} inputs each; their figures added up in {@code r}. */
    private int runJobs(List<String> cmd, Path work, Result r) throws Exception {
        List<Result> parts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] exits = new int[jobs];
        Exception[] failures = new Exception[jobs];
        for (int i = 0; i < jobs; i++) {
            int job = i;
            List<String> c = new ArrayList<>();
            for (String arg : cmd) {
                c.add(arg.startsWith("-runs=") ? "-runs=" + ((runs + jobs - 1) / jobs) : arg);
            }
            c.add(c.indexOf("-print_final_stats=1"), "-seed=" + (1 + job));
            Result part = new Result(r.target);
            parts.add(part);
            Thread t = new Thread(() -> {
                try {
                    exits[job] = run(c, work.resolve("fuzz-" + job + ".log"), part);
                } catch (Exception e) {
                    failures[job] = e;
                }
            }, "fuzz-" + r.target + "-" + job);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        int exit = 0;
        for (int i = 0; i < jobs; i++) {
            if (failures[i] != null) {
                throw failures[i];
            }
            Result p = parts.get(i);
            exit = Math.max(exit, exits[i]);
            r.runs += p.runs;
            r.fuzzSeconds = Math.max(r.fuzzSeconds, p.fuzzSeconds);
            r.cov = Math.max(r.cov, p.cov);
            r.ft = Math.max(r.ft, p.ft);
            r.covInitial = i == 0 ? p.covInitial : Math.min(r.covInitial, p.covInitial);
            r.peakRssMb = Math.max(r.peakRssMb, p.peakRssMb);
            r.slowestSeconds = Math.max(r.slowestSeconds, p.slowestSeconds);
            r.corpusLive = p.corpusLive;
            r.crashes.addAll(p.crashes);
            r.slowUnits.addAll(p.slowUnits);
            r.findings.addAll(p.findings);
        }
        r.execPerSec = r.fuzzSeconds > 0 ? r.runs / r.fuzzSeconds : 0;
        r.command = jobs + " processes, -seed=1.." + jobs + ", -runs=" + ((runs + jobs - 1) / jobs) + " each: " + r.command;
        return exit;
    }

    /** Runs {@code cmd}, its output to {@code log}; parses libFuzzer's figures into {@code r}. */
    private static int run(List<String> cmd, Path log, Result r) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            Parser parser = new Parser(r);
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (r != null) {
                    parser.line(line);
                }
            }
        }
        return p.waitFor();
    }

    /** Parses a finished run's log; its exit code is not in it: 0 unless it shows a finding. */
    private static int parse(List<String> lines, Result r) {
        Parser parser = new Parser(r);
        lines.forEach(parser::line);
        return r.crashes.isEmpty() ? 0 : 1;
    }

    /** libFuzzer's and Jazzer's output lines into a {@link Result}. */
    private static final class Parser {
        private final Result r;
        private boolean inException;

        Parser(Result r) {
            this.r = r;
        }

        void line(String line) {
            Matcher m = STATUS.matcher(line);
            if (m.find()) {
                r.runs = Math.max(r.runs, Long.parseLong(m.group(1)));
                r.cov = Integer.parseInt(m.group(3));
                r.ft = Integer.parseInt(m.group(4));
                r.corpusLive = m.group(5) + " inputs, " + m.group(6);
                if (line.contains("INITED")) {
                    r.covInitial = r.cov;
                    r.ftInitial = r.ft;
                }
            }
            m = DONE.matcher(line);
            if (m.find()) {
                r.runs = Long.parseLong(m.group(1));
                r.fuzzSeconds = Long.parseLong(m.group(2));
            }
            m = STAT.matcher(line);
            if (m.find()) {
                switch (m.group(1)) {
                    case "number_of_executed_units" -> r.runs = Long.parseLong(m.group(2));
                    case "average_exec_per_sec" -> r.execPerSec = Long.parseLong(m.group(2));
                    case "peak_rss_mb" -> r.peakRssMb = Long.parseLong(m.group(2));
                    case "slowest_unit_time_sec" -> r.slowestSeconds = Long.parseLong(m.group(2));
                    default -> { }
                }
            }
            if (line.startsWith("== Java Exception") || line.contains("ERROR: libFuzzer")) {
                inException = true;
                r.findings.add(line);
            } else if (inException && line.startsWith("\tat ") && r.findings.size() < 40) {
                r.findings.add(line);
            }
            m = ARTIFACT.matcher(line);
            if (m.find()) {
                // libFuzzer's slow-unit-* (over 10 s wall time, -report_slow_units) is a figure, not a finding
                List<String> into = m.group(1).contains("/slow-unit-") ? r.slowUnits : r.crashes;
                if (!into.contains(m.group(1))) {
                    into.add(m.group(1));
                }
                inException = false;
            }
        }
    }

    private void writeResults(List<Result> results) throws IOException {
        Path file = basedir.resolve("results/fuzz.txt");
        Files.createDirectories(file.getParent());
        StringWriter s = new StringWriter();
        PrintWriter w = new PrintWriter(s);
        w.println("Vigil fuzz campaign (distribution/fuzz, FuzzCampaignTest, -Dvigil.fuzz=true)");
        w.println("date:     " + DateTimeFormatter.ISO_INSTANT.format(Instant.now().atOffset(ZoneOffset.UTC)));
        w.println("fuzzer:   Jazzer " + System.getProperty("vigil.fuzz.jazzer", "0.24.0")
                + " (libFuzzer inside), instrumentation org.vigil.**, one target at a time, " + jobs
                + " process(es) per target on one corpus, nice 10, -Xmx1g each");
        w.println("java:     " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        w.println("machine:  " + Runtime.getRuntime().availableProcessors() + " cores (shared with other work)");
        w.println();
        w.println(String.format(Locale.ROOT, "%-7s %12s %8s %8s %8s %6s %7s %11s %7s %8s %7s", "target", "inputs",
                "fuzz s", "wall s", "exec/s", "cov", "ft", "corpus", "rss MB", "slowest", "crashes"));
        for (Result r : results) {
            long perSecond = r.fuzzSeconds > 0 ? r.runs / r.fuzzSeconds : r.execPerSec;
            w.println(String.format(Locale.ROOT, "%-7s %12d %8d %8.0f %8d %6d %7d %11s %7d %7ds %7d", r.target, r.runs,
                    r.fuzzSeconds, r.wallSeconds, perSecond, r.cov, r.ft, r.corpusBefore + "->" + r.corpusAfter,
                    r.peakRssMb, r.slowestSeconds, r.crashes.size()));
        }
        w.println();
        w.println("fuzz s: libFuzzer's own time for the runs; wall s: the child JVM from start to exit (start-up, "
                + "instrumentation, loading the seeds); exec/s: inputs / fuzz s.");
        w.println("cov: libFuzzer's covered edges in org.vigil.** at the end (at start, from the seeds: "
                + String.join(", ", results.stream().map(r -> r.target + " " + r.covInitial).toList())
                + "); ft: its features (edges by hit-count bucket, value profiles); corpus: committed inputs "
                + "before -> after the minimising merge; slowest: libFuzzer's slowest input, whole seconds.");
        for (Result r : results) {
            w.println();
            w.println("[" + r.target + "] exit " + r.exit + ", live corpus at the end " + r.corpusLive);
            w.println("  " + r.command.replace(System.getProperty("surefire.test.class.path", "\u0000"), "<test class path>"));
            if (!r.crashes.isEmpty()) {
                w.println("  crash inputs: " + r.crashes);
            }
            if (!r.slowUnits.isEmpty()) {
                w.println("  slow inputs (over 10 s wall time, not findings): " + r.slowUnits);
            }
            r.findings.forEach(f -> w.println("  " + f));
        }
        w.flush();
        Files.writeString(file, s.toString(), StandardCharsets.UTF_8);
        System.out.print(s);
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static final class Result {
        final String target;
        long runs;
        long execPerSec;
        long peakRssMb;
        long fuzzSeconds;
        long slowestSeconds;
        int cov;
        int ft;
        int covInitial;
        int ftInitial;
        long corpusBefore;
        long corpusAfter;
        String corpusLive = "";
        double wallSeconds;
        int exit;
        String command = "";
        final List<String> crashes = new ArrayList<>();
        final List<String> slowUnits = new ArrayList<>();
        final List<String> findings = new ArrayList<>();

        Result(String target) {
            this.target = target;
        }
    }
}
