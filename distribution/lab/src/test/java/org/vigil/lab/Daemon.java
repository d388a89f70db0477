package org.vigil.lab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

/**
 * A VRRP daemon (Vigil or keepalived) running in the foreground inside a lab namespace, its console log
 * in a file of its own folder. Signals go to its PID and its children's PIDs, never by name.
 */
abstract class Daemon implements AutoCloseable {
    final String label;
    final String host;
    final Path dir;
    final Path log;
    final long startedMillis;
    private final Process process;

    Daemon(String label, String host, Path dir, List<String> command) {
        this.label = label;
        this.host = host;
        this.dir = dir;
        this.log = dir.resolve("log");
        try {
            Files.deleteIfExists(log);
            this.startedMillis = System.currentTimeMillis();
            this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + label + ": " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** A position in the log; {@link #awaitLog(String, int, Duration)} looks only after it. */
    int mark() {
        return logText().length();
    }

    /** Waits until the log shows the text after the mark; fails with the log if it does not. */
    void awaitLog(String text, int mark, Duration within) {
        try {
            await(label + " logs \"" + text + "\"").atMost(within).pollInterval(Duration.ofMillis(50))
                    .until(() -> logText().indexOf(text, mark) >= 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(label + " did not log \"" + text + "\" within " + within + "; "
                    + (alive() ? "running" : "exited " + process.exitValue()) + ", log:\n" + logText(), e);
        }
    }

    void awaitLog(String text, Duration within) {
        awaitLog(text, 0, within);
    }

    /** Lines of the log (after the mark) that contain the text. */
    List<String> linesWith(String text, int mark) {
        String t = logText();
        return t.substring(Math.min(mark, t.length())).lines().filter(l -> l.contains(text)).toList();
    }

    /** Graceful stop: SIGTERM and wait for the exit. */
    void term() {
        signal("-TERM", List.of(pid()));
        awaitExit(Duration.ofSeconds(15));
    }

    /** A crash: freeze the process tree first so that no parent respawns a child, then SIGKILL all of it. */
    void crash() {
        List<Long> tree = tree();
        signal("-STOP", tree);
        signal("-KILL", tree);
        awaitExit(Duration.ofSeconds(10));
    }

    /**
     * Freezes the whole process tree (SIGSTOP by PID): every thread of it is late from now on, as
     * on a host that does not schedule it, while the kernel keeps taking in its packets.
     */
    void freeze() {
        signal("-STOP", tree());
    }

    /** Lets a {@link #freeze frozen} process tree run again. */
    void thaw() {
        signal("-CONT", tree());
    }

    private List<Long> tree() {
        List<Long> tree = new ArrayList<>();
        tree.add(pid());
        process.descendants().forEach(ph -> tree.add(ph.pid()));
        return tree;
    }

    /** keepalived's reload signal. */
    void hangup() {
        signal("-HUP", List.of(pid()));
    }

    /** Rewrites the configuration file the daemon was started with (for a reload). */
    void rewriteConfig(String config) {
        writeConfig(dir, config);
    }

    static void signal(String sig, List<Long> pids) {
        List<String> cmd = new ArrayList<>(List.of("kill", sig));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        Sh.run(cmd);
    }

    void awaitExit(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(label + " still running " + within + " after the signal; log:\n" + logText());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU time (user + system) of the process and its children, in clock ticks, from /proc. */
    long cpuTicks() {
        long sum = 0;
        List<Long> tree = new ArrayList<>();
        tree.add(pid());
        process.descendants().forEach(ph -> tree.add(ph.pid()));
        for (long p : tree) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            } catch (IOException | RuntimeException e) {
                // a child that just exited
            }
        }
        return sum;
    }

    /** A field of a /proc/PID/status text (Uid:, CapEff:, ...): its value without the name. */
    static String statusField(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name)).map(l -> l.substring(name.length()).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in\n" + status));
    }

    /** Resident set size in kB of the process and its children (VmRSS). */
    long rssKb() {
        return statusSum("VmRSS:");
    }

    /** Threads of the process and its children. */
    long threads() {
        return statusSum("Threads:");
    }

    /** The sum of a numeric /proc/PID/status field over the process and its children. */
    private long statusSum(String field) {
        long sum = 0;
        List<Long> tree = new ArrayList<>();
        tree.add(pid());
        process.descendants().forEach(ph -> tree.add(ph.pid()));
        for (long p : tree) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc", Long.toString(p), "status"))) {
                    if (l.startsWith(field)) {
                        sum += Long.parseLong(l.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return sum;
    }

    /** Stops it if it still runs: TERM, then a crash if TERM does not end it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        signal("-TERM", List.of(pid()));
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                crash();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            crash();
        }
    }

    static Path writeConfig(Path dir, String config) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve("keepalived.conf");
            Files.writeString(f, config);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Vigil's bin/vigil in the foreground, console log, per-instance pid file. */
    static final class Vigil extends Daemon {
        Vigil(Lab lab, String host, Path dir, String config) {
            this(lab, host, dir, config, LabEnv.dist());
        }

        /** From another copy of the distribution (one with its own deploy/ folder, say). */
        Vigil(Lab lab, String host, Path dir, String config, Path dist) {
            super("vigil@" + host, host, dir, List.of("ip", "netns", "exec", lab.ns(host), dist.resolve("bin/vigil")
                    .toString(), "-n", "-l", "-D", "-f", writeConfig(dir, config).toString(), "-p", dir.resolve("vigil.pid")
                            .toString()));
        }
    }

    /** Debian's keepalived, with lab.md section 2's command line (every pid file in its own folder). */
    static final class Keepalived extends Daemon {
        Keepalived(Lab lab, String host, Path dir, String config) {
            super("keepalived@" + host, host, dir, List.of("ip", "netns", "exec", lab.ns(host), "/usr/sbin/keepalived",
                    "-n", "-l", "-D", "-G", "-f", writeConfig(dir, config).toString(), "-p", dir.resolve("keepalived.pid")
                            .toString(), "-r", dir.resolve("vrrp.pid").toString(), "-c", dir.resolve("checkers.pid")
                                    .toString(), "-b", dir.resolve("bfd.pid").toString()));
        }
    }
}
