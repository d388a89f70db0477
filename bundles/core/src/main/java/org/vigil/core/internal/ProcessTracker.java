package org.vigil.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.vigil.api.system.ProcessEvents;
import org.vigil.api.system.ProcessListener;

/**
 * vrrp_track_process: counts the running processes that match each spec and reports each spec's
 * quorum verdict, keepalived's way: one scan of /proc when the tracking starts (and after lost
 * events), then the kernel's process events ({@link ProcessEvents}); /proc/PID/cmdline is read
 * only when a spec needs it. fork_delay holds back a gained quorum, terminate_delay a lost one;
 * the very first verdict is reported at once.
 *
 * <p>Confined to its own thread ("vigil-process-track"): the events arrive on the event source's
 * thread and are handed over, and verdicts leave through {@code verdicts} (the engine posts them
 * to the election loop). Never on the election thread.
 */
final class ProcessTracker implements AutoCloseable {

    /** A spec's verdict: enough matching processes (quorum) or not. */
    interface Verdicts {
        void verdict(String name, boolean up);
    }

    private final Verdicts verdicts;
    private final Consumer<String> log;
    private final Path proc;
    private final ScheduledExecutorService thread;

    // confined to {@link #thread}
    private final Map<String, ProcessSpec> specs = new LinkedHashMap<>();
    /** pid to the specs it matches; only pids matching at least one. */
    private final Map<Integer, Set<String>> matched = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, Boolean> reported = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> pending = new HashMap<>();
    private ProcessEvents source;
    private AutoCloseable watch;
    private boolean warnedNoSource;

    ProcessTracker(Verdicts verdicts, Consumer<String> log) {
        this(verdicts, log, Path.of("/proc"));
    }

    /** With another /proc, for tests. */
    ProcessTracker(Verdicts verdicts, Consumer<String> log, Path proc) {
        this.verdicts = verdicts;
        this.log = log;
        this.proc = proc;
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vigil-process-track");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        thread = e;
    }

    /** The process event source appeared (or went: null). */
    void source(ProcessEvents events) {
        thread.execute(() -> {
            if (events == source) {
                return;
            }
            stopWatching();
            source = events;
            warnedNoSource = false;
            if (!specs.isEmpty()) {
                startWatching();
                rescan();
            }
        });
    }

    /** A vrrp_track_process added or changed: every process is matched against it again. */
    void configure(ProcessSpec spec) {
        thread.execute(() -> {
            ProcessSpec before = specs.put(spec.name(), spec);
            if (spec.equals(before)) {
                return;
            }
            if (before != null) {
                cancelPending(spec.name());
                reported.remove(spec.name());
            }
            if (watch == null) {
                startWatching();
            }
            rescan();
        });
    }

    void remove(String name) {
        thread.execute(() -> {
            if (specs.remove(name) == null) {
                return;
            }
            cancelPending(name);
            reported.remove(name);
            counts.remove(name);
            matched.values().forEach(s -> s.remove(name));
            matched.values().removeIf(Set::isEmpty);
            if (specs.isEmpty()) {
                stopWatching();
            }
        });
    }

    /** Runs what was handed over so far (tests). */
    void await() throws Exception {
        thread.submit(() -> null).get(5, TimeUnit.SECONDS);
    }

    private void startWatching() {
        if (source == null) {
            if (!warnedNoSource) {
                warnedNoSource = true;
                log.accept("track_process: no process event source (Linux driver with root needed) - "
                        + "processes are counted once from /proc and changes are not seen");
            }
            return;
        }
        try {
            watch = source.watch(new ProcessListener() {
                @Override
                public void executed(int pid) {
                    thread.execute(() -> examine(pid));
                }

                @Override
                public void renamed(int pid) {
                    thread.execute(() -> examine(pid));
                }

                @Override
                public void exited(int pid) {
                    thread.execute(() -> gone(pid));
                }

                @Override
                public void lost() {
                    thread.execute(ProcessTracker.this::rescan);
                }
            });
        } catch (IOException e) {
            log.accept("track_process: cannot watch process events (" + e.getMessage()
                    + ") - processes are counted once from /proc and changes are not seen");
        }
    }

    private void stopWatching() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception ignored) {
                // closing a watch only ends its thread
            }
            watch = null;
        }
    }

    /** Every process in /proc matched against every spec (start, a changed spec, lost events). */
    private void rescan() {
        matched.clear();
        boolean cmdline = specs.values().stream().anyMatch(ProcessSpec::needsCommandLine);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc)) {
            for (Path d : dirs) {
                String n = d.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit) && n.length() < 10) {
                    Set<String> m = matching(Integer.parseInt(n), cmdline);
                    if (!m.isEmpty()) {
                        matched.put(Integer.parseInt(n), m);
                    }
                }
            }
        } catch (IOException e) {
            log.accept("track_process: cannot list " + proc + ": " + e.getMessage());
        }
        recount();
    }

    /** A process executed or renamed itself: what it matches now. */
    private void examine(int pid) {
        Set<String> m = matching(pid, specs.values().stream().anyMatch(ProcessSpec::needsCommandLine));
        Set<String> before = m.isEmpty() ? matched.remove(pid) : matched.put(pid, m);
        if (!m.equals(before == null ? Set.of() : before)) {
            recount();
        }
    }

    private void gone(int pid) {
        if (matched.remove(pid) != null) {
            recount();
        }
    }

    private Set<String> matching(int pid, boolean readCmdline) {
        Set<String> out = new HashSet<>();
        if (specs.isEmpty()) {
            return out;
        }
        Path dir = proc.resolve(Integer.toString(pid));
        String comm;
        List<String> cmd = null;
        try {
            if (isZombie(dir)) {
                return out; // keepalived does not count zombies: they are not running
            }
            comm = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
            if (readCmdline) {
                cmd = commandLine(Files.readAllBytes(dir.resolve("cmdline")));
            }
        } catch (IOException e) {
            return out; // gone meanwhile
        }
        for (ProcessSpec s : specs.values()) {
            if (s.matches(comm, cmd)) {
                out.add(s.name());
            }
        }
        return out;
    }

    private static boolean isZombie(Path dir) throws IOException {
        String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
        int close = stat.lastIndexOf(')');
        return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
    }

    /** /proc/PID/cmdline's NUL-separated words. */
    static List<String> commandLine(byte[] bytes) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                words.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            words.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return words;
    }

    private void recount() {
        Map<String, Integer> now = new HashMap<>();
        specs.keySet().forEach(n -> now.put(n, 0));
        matched.values().forEach(set -> set.forEach(n -> now.merge(n, 1, Integer::sum)));
        for (Map.Entry<String, Integer> e : now.entrySet()) {
            Integer before = counts.put(e.getKey(), e.getValue());
            if (before == null || !before.equals(e.getValue()) || !reported.containsKey(e.getKey())) {
                decide(specs.get(e.getKey()), e.getValue());
            }
        }
    }

    private void decide(ProcessSpec spec, int count) {
        boolean up = spec.quorate(count);
        Boolean was = reported.get(spec.name());
        if (was == null) {
            report(spec.name(), up);
            return;
        }
        if (was == up) {
            cancelPending(spec.name()); // a bounce within the delay: nothing to report
            return;
        }
        long delay = up ? spec.forkDelayMillis() : spec.terminateDelayMillis();
        if (delay <= 0) {
            report(spec.name(), up);
        } else if (!pending.containsKey(spec.name())) {
            String name = spec.name();
            pending.put(name, thread.schedule(() -> {
                pending.remove(name);
                ProcessSpec s = specs.get(name);
                if (s != null && s.quorate(counts.getOrDefault(name, 0)) == up) {
                    report(name, up);
                }
            }, delay, TimeUnit.MILLISECONDS));
        }
    }

    private void report(String name, boolean up) {
        cancelPending(name);
        Boolean was = reported.put(name, up);
        if (was == null || was != up) {
            log.accept("Quorum " + (up ? "gained" : "lost") + " for tracked process " + name + " ("
                    + counts.getOrDefault(name, 0) + " running)");
            verdicts.verdict(name, up);
        }
    }

    private void cancelPending(String name) {
        ScheduledFuture<?> f = pending.remove(name);
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void close() {
        thread.execute(this::stopWatching);
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
