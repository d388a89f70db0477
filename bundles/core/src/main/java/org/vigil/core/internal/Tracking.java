package org.vigil.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.vigil.api.vrrp.TrackEntry;
import org.vigil.api.vrrp.TrackStatus;
import org.vigil.script.ScriptRunner;
import org.vigil.script.ScriptSecurity;

/**
 * vrrp_script, track_script, track_interface and track_file (keepalived-behaviour.md a.1): turns
 * script verdicts, link states and file values into each instance's priority adjustment and
 * tracking FAULT. Loop-confined, except the work on the "vigil-scripts" executor (script runs,
 * timeouts, file polls), whose results are posted to the loop as events.
 *
 * <p>Per tracked object with weight w (reverse negates w): w = 0 means FAULT while the object is
 * down (reverse: while up); w &gt; 0 adds w while it is up; w &lt; 0 adds w while it is down. A
 * track_file adds value x w (reverse: -value x w), FAULT below -253; with w = 0 a non-zero value
 * is FAULT. The engine clamps the result to 1..254 and never changes an owner's priority.
 */
final class Tracking implements AutoCloseable {

    /** What the engine does with a result. */
    interface Host {
        /** The instance's adjustment and whether tracking holds it in FAULT. */
        void apply(String instance, int adjustment, boolean fault);

        /** Current link state of an interface, empty if the interface is unknown. */
        Optional<Boolean> linkUp(String iface);

        /**
         * Whether the instance is in a sync group without sync_group_tracking_weight: keepalived
         * then drops its weighted track_scripts and zeroes its other trackers' weights.
         */
        boolean groupIgnoresWeights(String instance);

        /** The track_* entries of the instance's sync group (they apply to every member). */
        Tracks groupTracks(String instance);
    }

    /** keepalived: a track_file result below this means FAULT. */
    static final int FILE_FAULT_BELOW = -253;
    static final long DEFAULT_FILE_POLL_MILLIS = 1_000;

    private final Loop loop;
    private final VrrpLog log;
    private final Host host;
    private final ScriptSecurity.Host securityHost;
    private long filePollMillis = DEFAULT_FILE_POLL_MILLIS;
    private boolean launchProcesses = true;

    // loop-confined
    private final Map<String, ScriptEntry> scripts = new LinkedHashMap<>();
    private final Map<String, Tracks> instances = new LinkedHashMap<>();
    private final Map<String, Integer> fileValues = new HashMap<>();
    /** "instance script" pairs already warned about a weight ignored for a sync group. */
    private final Set<String> groupWarnings = new HashSet<>();
    /**
     * No script runs before global_defs is known: under enable_script_security an insecure
     * script must not get even one run as root.
     */
    private boolean securityKnown;
    private boolean securityEnabled;
    private org.vigil.script.RunAs scriptUser;
    private long generation;

    /**
     * Script-security decisions and first file readings made off the loop by {@link #prepare}
     * and {@link #prepareFiles} (the engine calls them on the caller's thread before it posts),
     * taken once each on the loop; a miss (a race between two configuration calls) is decided
     * on the loop as before.
     */
    private final Map<DecisionKey, Optional<ScriptSecurity.Decision>> prepared = new ConcurrentHashMap<>();
    private final Map<String, Integer> preread = new ConcurrentHashMap<>();

    private record DecisionKey(ScriptSpec spec, boolean enabled, org.vigil.script.RunAs user) {
    }

    /** Paths the poller reads; written on the loop, read on the executor. */
    private final Set<String> polledFiles = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService executor;
    /** The processes of every vrrp_script (org.vigil.script); starts and timers on {@link #executor}. */
    private ScriptRunner scriptRunner;
    private ScheduledFuture<?> filePoll;
    /** The last value read of each tracked file, by the poll and the watch (executor side). */
    private final Map<String, Integer> seenFiles = new ConcurrentHashMap<>();
    private FileWatch fileWatch;

    /** vrrp_track_process blocks by name, and their last quorum verdict (null before the first). */
    private final Map<String, ProcessEntry> processes = new LinkedHashMap<>();
    /** Verdicts posted by the tracker before their vrrp_track_process reached the loop. */
    private final Map<String, Boolean> earlyVerdicts = new HashMap<>();
    /** Counts the processes off the loop; created with the first vrrp_track_process. */
    private ProcessTracker processTracker;
    /** The kernel's process events, when a native layer provides them; any thread. */
    private volatile org.vigil.api.system.ProcessEvents processEvents;

    private static final class ProcessEntry {
        final ProcessSpec spec;
        Boolean up;

        ProcessEntry(ProcessSpec spec) {
            this.spec = spec;
        }
    }

    private static final class ScriptEntry {
        final ScriptSpec spec;
        final ScriptState state;
        final long generation;
        /** False when script security (or an unusable user) disabled it: it then has no effect. */
        boolean enabled;
        ScriptSchedule runner;

        ScriptEntry(ScriptSpec spec, long generation) {
            this.spec = spec;
            this.state = new ScriptState(spec);
            this.generation = generation;
        }
    }

    Tracking(Loop loop, VrrpLog log, Host host, ScriptSecurity.Host securityHost) {
        this.loop = loop;
        this.log = log;
        this.host = host;
        this.securityHost = securityHost;
    }

    /** For virtual-time tests: scripts are checked and tracked, but their outcomes come from the test. */
    void setLaunchProcesses(boolean launch) {
        launchProcesses = launch;
    }

    /** For tests: how often track_file files are read. */
    void setFilePollMillis(long millis) {
        filePollMillis = millis;
    }

    private ScheduledExecutorService executor() {
        if (executor == null) {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "vigil-scripts");
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            executor = e;
        }
        return executor;
    }

    private ScriptRunner scriptRunner() {
        if (scriptRunner == null) {
            // each vrrp_script runs at most once at a time (ScriptSchedule skips), so no bound is needed here
            scriptRunner = new ScriptRunner(executor(), Integer.MAX_VALUE, 0);
        }
        return scriptRunner;
    }

    // ---- scripts (on the loop) ----------------------------------------------------------------

    /** A vrrp_script added or changed: a changed script starts over (keepalived: a new script). */
    void scriptConfigured(ScriptSpec spec) {
        ScriptEntry old = scripts.get(spec.name());
        if (old != null && old.spec.equals(spec)) {
            return;
        }
        if (old != null) {
            stop(old);
        }
        ScriptEntry entry = new ScriptEntry(spec, ++generation);
        scripts.put(spec.name(), entry);
        startRunner(entry);
        reevaluateUsers(spec.name());
    }

    void scriptRemoved(String name) {
        ScriptEntry old = scripts.remove(name);
        if (old != null) {
            stop(old);
            reevaluateUsers(name);
        }
    }

    /** global_defs enable_script_security and script_user: every script is checked again. */
    void securityConfigured(boolean enabled, org.vigil.script.RunAs u) {
        if (securityKnown && enabled == securityEnabled && java.util.Objects.equals(u, scriptUser)) {
            return;
        }
        securityKnown = true;
        securityEnabled = enabled;
        scriptUser = u;
        for (ScriptEntry e : scripts.values()) {
            stop(e);
            startRunner(e);
        }
        instances.keySet().forEach(this::evaluate);
    }

    /**
     * Off the loop: decides {@code spec} under the given settings (path, owner and permission
     * checks, the user lookup), so that {@link #startRunner} on the loop only looks the answer up.
     */
    void prepare(ScriptSpec spec, boolean enabled, org.vigil.script.RunAs u) {
        prepared.put(new DecisionKey(spec, enabled, u), Optional.ofNullable(
                TrackScriptCheck.decide(spec, enabled, u, securityHost, line -> log.line(line, false))));
    }

    /** Off the loop: the first reading of each absolute track_file path the tracks name. */
    void prepareFiles(Tracks tracks) {
        if (tracks == null) {
            return;
        }
        for (TrackEntry f : tracks.files()) {
            if (f.name().startsWith("/")) {
                if (f.initValue() != null) {
                    initFile(Path.of(f.name()), f.initValue(), f.overwrite());
                }
                preread.put(f.name(), readValue(Path.of(f.name())));
            }
        }
    }

    private void startRunner(ScriptEntry entry) {
        if (!securityKnown) {
            entry.enabled = false;
            return;
        }
        Optional<ScriptSecurity.Decision> ready = prepared.remove(new DecisionKey(entry.spec, securityEnabled,
                scriptUser));
        ScriptSecurity.Decision decision = ready != null ? ready.orElse(null)
                : TrackScriptCheck.decide(entry.spec, securityEnabled, scriptUser, securityHost,
                        line -> log.line(line, false));
        entry.enabled = decision != null;
        if (decision == null || !launchProcesses) {
            return;
        }
        String name = entry.spec.name();
        long gen = entry.generation;
        entry.runner = new ScriptSchedule(entry.spec, decision.argv(), executor(), scriptRunner(),
                outcome -> loop.execute(() -> scriptOutcome(name, gen, outcome)), line -> log.line(line, false));
        entry.runner.start();
    }

    private static void stop(ScriptEntry entry) {
        if (entry.runner != null) {
            entry.runner.close();
            entry.runner = null;
        }
    }

    /** One run's outcome; outcomes of a replaced script are ignored. */
    void scriptOutcome(String name, long gen, ScriptState.Outcome outcome) {
        ScriptEntry e = scripts.get(name);
        if (e == null || e.generation != gen || !e.enabled) {
            return;
        }
        if (e.state.apply(outcome, line -> log.line(line, false))) {
            reevaluateUsers(name);
        }
    }

    /** Generation of the named script's current runner, for tests that feed outcomes. */
    long generation(String name) {
        ScriptEntry e = scripts.get(name);
        return e == null ? -1 : e.generation;
    }

    private void reevaluateUsers(String scriptName) {
        for (String instance : instances.keySet()) {
            if (effective(instance).scripts().stream().anyMatch(t -> t.name().equals(scriptName))) {
                evaluate(instance);
            }
        }
    }

    /** The instance's own entries followed by its sync group's. */
    private Tracks effective(String instance) {
        Tracks own = instances.get(instance);
        if (own == null) {
            return Tracks.NONE;
        }
        Tracks group = host.groupTracks(instance);
        if (group == null || group.isEmpty()) {
            return own;
        }
        return new Tracks(concat(own.scripts(), group.scripts()), concat(own.interfaces(), group.interfaces()),
                concat(own.files(), group.files()), concat(own.processes(), group.processes()));
    }

    private static List<TrackEntry> concat(List<TrackEntry> a, List<TrackEntry> b) {
        List<TrackEntry> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** A sync group's entries changed: its files may need polling, its members a new verdict. */
    void groupsChanged() {
        updatePolledFiles();
        instances.keySet().forEach(this::evaluate);
    }

    // ---- processes ---------------------------------------------------------------------------

    /** The process event source appeared or went (null); any thread. */
    void processEvents(org.vigil.api.system.ProcessEvents events) {
        processEvents = events;
        ProcessTracker t;
        synchronized (this) {
            t = processTracker;
        }
        if (t != null) {
            t.source(events);
        }
    }

    private synchronized ProcessTracker processTracker() {
        if (processTracker == null) {
            processTracker = new ProcessTracker((name, up) -> loop.execute(() -> processState(name, up)),
                    line -> log.line(line, false));
            processTracker.source(processEvents);
        }
        return processTracker;
    }

    /**
     * Off the loop, before {@link #processConfigured}: hands the spec to the tracker and waits
     * (briefly) for its first count, so an instance starts with the process's real state, as
     * keepalived scans /proc before its instances start.
     */
    void prepareProcess(ProcessSpec spec) {
        ProcessTracker t = processTracker();
        t.configure(spec);
        try {
            t.await();
        } catch (Exception e) {
            // the verdict follows when the scan ends
        }
    }

    /** A vrrp_track_process added or changed (on the loop), with the verdict the tracker already posted. */
    void processConfigured(ProcessSpec spec) {
        ProcessEntry old = processes.get(spec.name());
        if (old != null && old.spec.equals(spec)) {
            return;
        }
        ProcessEntry entry = new ProcessEntry(spec);
        entry.up = earlyVerdicts.remove(spec.name());
        processes.put(spec.name(), entry);
        reevaluateProcessUsers(spec.name());
    }

    void processRemoved(String name) {
        earlyVerdicts.remove(name);
        if (processes.remove(name) != null) {
            processTracker().remove(name);
            reevaluateProcessUsers(name);
        }
    }

    /** The tracker's quorum verdict for a vrrp_track_process (on the loop). */
    void processState(String name, boolean up) {
        ProcessEntry e = processes.get(name);
        if (e == null) {
            earlyVerdicts.put(name, up); // the first count arrives before its configuration
            return;
        }
        if (Boolean.valueOf(up).equals(e.up)) {
            return;
        }
        e.up = up;
        reevaluateProcessUsers(name);
    }

    private void reevaluateProcessUsers(String processName) {
        for (String instance : instances.keySet()) {
            if (effective(instance).processes().stream().anyMatch(t -> t.name().equals(processName))) {
                evaluate(instance);
            }
        }
    }

    // ---- instances, links, files (on the loop) ------------------------------------------------

    void instanceConfigured(String name, Tracks tracks) {
        Tracks before = instances.put(name, tracks);
        if (before != null && before.isEmpty() && tracks.isEmpty()) {
            return;
        }
        updatePolledFiles();
        evaluate(name);
    }

    void instanceRemoved(String name) {
        if (instances.remove(name) != null) {
            updatePolledFiles();
        }
    }

    void linkChanged(String iface) {
        for (String instance : instances.keySet()) {
            if (effective(instance).interfaces().stream().anyMatch(t -> t.name().equals(iface))) {
                evaluate(instance);
            }
        }
    }

    /** After a driver change every tracked link may read differently. */
    void refreshLinks() {
        for (String instance : instances.keySet()) {
            if (!effective(instance).interfaces().isEmpty()) {
                evaluate(instance);
            }
        }
    }

    void fileValue(String path, int value) {
        Integer before = fileValues.put(path, value);
        if (before != null && before == value) {
            return;
        }
        for (String instance : instances.keySet()) {
            if (effective(instance).files().stream().anyMatch(t -> t.name().equals(path))) {
                evaluate(instance);
            }
        }
    }

    /** Computes and hands over the instance's adjustment and tracking FAULT. */
    void evaluate(String instance) {
        if (!instances.containsKey(instance)) {
            return;
        }
        int adjustment = 0;
        boolean fault = false;
        for (TrackStatus t : verdicts(instance, true)) {
            adjustment += t.contribution();
            fault |= t.fault();
        }
        host.apply(instance, adjustment, fault);
    }

    /** What the instance tracks and each one's verdict now (vrrp:show, JMX); empty for an unknown instance. */
    List<TrackStatus> status(String instance) {
        return instances.containsKey(instance) ? verdicts(instance, false) : List.of();
    }

    /**
     * Each tracked object's share of the adjustment and whether it says FAULT: the one place of
     * the rule in the class comment. {@code warn} logs keepalived's line about weights a sync
     * group ignores (once per pair), for the evaluation, not for a status read.
     */
    private List<TrackStatus> verdicts(String instance, boolean warn) {
        Tracks tracks = effective(instance);
        List<TrackStatus> out = new ArrayList<>();
        boolean grouped = host.groupIgnoresWeights(instance);
        if (!grouped && warn) {
            groupWarnings.removeIf(k -> k.startsWith(instance + " "));
        }
        for (TrackEntry t : tracks.scripts()) {
            ScriptEntry e = scripts.get(t.name());
            if (e == null || !e.enabled) {
                // not configured (yet) or disabled by script security: no effect
                out.add(new TrackStatus(TrackStatus.Kind.SCRIPT, t.name(), e == null ? "not configured" : "disabled",
                        t.weight() != null ? t.weight() : e == null ? 0 : e.spec.weight(), false, 0, false));
                continue;
            }
            int w = t.weight() != null ? t.weight() : e.spec.weight();
            boolean reverse = t.reverse() != null ? t.reverse() : e.spec.reverse();
            if (grouped && w != 0) {
                if (warn && groupWarnings.add(instance + " " + t.name())) {
                    log.line("(" + instance + ") ignoring tracked script " + t.name() + " with weights due to SYNC group",
                            false);
                }
                out.add(new TrackStatus(TrackStatus.Kind.SCRIPT, t.name(), "ignored (sync group)", w, reverse, 0, false));
                continue;
            }
            boolean up = e.state.good();
            out.add(verdict(TrackStatus.Kind.SCRIPT, t.name(), up ? "good" : "bad", w, reverse, up));
        }
        for (TrackEntry t : tracks.processes()) {
            ProcessEntry e = processes.get(t.name());
            if (e == null) {
                // not configured (yet): no effect, as an unknown track_script
                out.add(new TrackStatus(TrackStatus.Kind.PROCESS, t.name(), "not configured",
                        t.weight() != null ? t.weight() : 0, false, 0, false));
                continue;
            }
            int w = t.weight() != null ? t.weight() : e.spec.weight();
            boolean reverse = t.reverse() != null ? t.reverse() : e.spec.reverse();
            if (grouped && w != 0) {
                if (warn && groupWarnings.add(instance + " process " + t.name())) {
                    log.line("(" + instance + ") ignoring tracked process " + t.name()
                            + " with weights due to SYNC group", false);
                }
                out.add(new TrackStatus(TrackStatus.Kind.PROCESS, t.name(), "ignored (sync group)", w, reverse, 0,
                        false));
                continue;
            }
            boolean up = Boolean.TRUE.equals(e.up);
            out.add(verdict(TrackStatus.Kind.PROCESS, t.name(), e.up == null ? "unknown" : up ? "running" : "not running",
                    w, reverse, up));
        }
        for (TrackEntry t : tracks.interfaces()) {
            int w = grouped || t.weight() == null ? 0 : t.weight();
            boolean reverse = Boolean.TRUE.equals(t.reverse());
            Optional<Boolean> link = host.linkUp(t.name());
            boolean up = link.orElse(false);
            out.add(verdict(TrackStatus.Kind.INTERFACE, t.name(), link.isEmpty() ? "unknown" : up ? "up" : "down", w,
                    reverse, up));
        }
        for (TrackEntry t : tracks.files()) {
            if (!t.name().startsWith("/")) {
                continue;
            }
            int w = grouped ? 0 : t.weight() != null ? t.weight() : 1;
            boolean reverse = Boolean.TRUE.equals(t.reverse());
            int value = fileValues.getOrDefault(t.name(), 0);
            String status = Integer.toString(value);
            if (w == 0) {
                out.add(new TrackStatus(TrackStatus.Kind.FILE, t.name(), status, 0, reverse, 0, value != 0));
            } else {
                long v = (long) value * w * (reverse ? -1 : 1);
                boolean fault = v < FILE_FAULT_BELOW;
                int share = fault ? 0 : (int) Math.max(Integer.MIN_VALUE / 4, Math.min(Integer.MAX_VALUE / 4, v));
                out.add(new TrackStatus(TrackStatus.Kind.FILE, t.name(), status, w, reverse, share, fault));
            }
        }
        return out;
    }

    /** A script's or an interface's verdict: weight 0 is FAULT while down (reverse: up), else w while up (w > 0) or down (w < 0). */
    private static TrackStatus verdict(TrackStatus.Kind kind, String name, String status, int w, boolean reverse,
            boolean up) {
        if (w == 0) {
            return new TrackStatus(kind, name, status, 0, reverse, 0, reverse == up);
        }
        int share = (w > 0) == up ? (reverse ? -w : w) : 0;
        return new TrackStatus(kind, name, status, w, reverse, share, false);
    }

    private void updatePolledFiles() {
        Set<String> wanted = new HashSet<>();
        for (String instance : instances.keySet()) {
            effective(instance).files().stream().map(TrackEntry::name).filter(n -> n.startsWith("/"))
                    .forEach(wanted::add);
        }
        polledFiles.retainAll(wanted);
        polledFiles.addAll(wanted);
        fileValues.keySet().retainAll(wanted);
        seenFiles.keySet().retainAll(wanted);
        if (wanted.isEmpty()) {
            if (filePoll != null) {
                filePoll.cancel(false);
                filePoll = null;
            }
            if (fileWatch != null) {
                fileWatch.watch(Set.of());
            }
            return;
        }
        // the first reading is known here (read by prepareFiles before the call was posted), so an
        // instance starts with its file's value
        for (String path : wanted) {
            if (!fileValues.containsKey(path)) {
                Integer early = preread.remove(path);
                fileValues.put(path, early != null ? early : readValue(Path.of(path)));
            }
        }
        fileValues.forEach(seenFiles::putIfAbsent);
        watchFiles(wanted);
        if (filePoll == null) {
            filePoll = executor().scheduleWithFixedDelay(() -> readFiles(polledFiles), filePollMillis, filePollMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** On the executor: reads the files and posts the values that changed. */
    private void readFiles(Iterable<String> paths) {
        for (String path : paths) {
            if (!polledFiles.contains(path)) {
                continue;
            }
            int v = readValue(Path.of(path));
            Integer before = seenFiles.put(path, v);
            if (before == null || before != v) {
                loop.execute(() -> fileValue(path, v));
            }
        }
    }

    /** inotify on the files' directories: a written file is read at once, not at the next poll. */
    private void watchFiles(Set<String> wanted) {
        if (fileWatch == null) {
            try {
                fileWatch = new FileWatch(changed -> {
                    ScheduledExecutorService e = executor;
                    if (e == null) {
                        return;
                    }
                    try {
                        e.execute(() -> readFiles(changed == null ? polledFiles : Set.of(changed.toString())));
                    } catch (java.util.concurrent.RejectedExecutionException closed) {
                        // closing
                    }
                });
            } catch (IOException e) {
                log.line("track_file: no file change notifications (" + e.getMessage() + "), reading every "
                        + filePollMillis + " ms", false);
                return;
            }
        }
        Set<Path> files = new HashSet<>();
        wanted.forEach(w -> files.add(Path.of(w)));
        fileWatch.watch(files);
    }

    /** track_file's init_file: writes the value when the file is missing, or always with overwrite. */
    private void initFile(Path file, long value, boolean overwrite) {
        if (!overwrite && Files.exists(file)) {
            return;
        }
        try {
            Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            log.line("track_file " + file + ": cannot initialise (" + e.getMessage() + ")", false);
        }
    }

    /** The integer at the start of the file; a missing, empty or unreadable file reads as 0. */
    static int readValue(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).trim();
            String[] words = text.split("\\s+");
            return words.length == 0 || words[0].isEmpty() ? 0 : Integer.parseInt(words[0]);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        scripts.values().forEach(Tracking::stop);
        synchronized (this) {
            if (processTracker != null) {
                processTracker.close();
                processTracker = null;
            }
        }
        if (filePoll != null) {
            filePoll.cancel(false);
            filePoll = null;
        }
        if (fileWatch != null) {
            fileWatch.close();
            fileWatch = null;
        }
        if (scriptRunner != null) {
            scriptRunner.close();
            scriptRunner = null;
        }
        if (executor != null) {
            // not shutdownNow: the runner's delayed SIGKILLs (1 s after the SIGTERMs) must still run;
            // periodic tasks (ticks, file polls) end here
            executor.shutdown();
            executor = null;
        }
    }
}
