package org.vigil.notify.script.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.PriorityEvent;
import org.vigil.api.vrrp.PriorityListener;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionListener;
import org.vigil.notify.script.internal.NotifyScripts.Event;
import org.vigil.notify.script.internal.NotifyScripts.Script;
import org.vigil.script.RunAs;
import org.vigil.script.ScriptResult;
import org.vigil.script.ScriptRunner;
import org.vigil.script.ScriptSecurity;

/**
 * keepalived's notify scripts and notify FIFO as a {@link TransitionListener}. Reads the global
 * configuration (script_user, notify_fifo, vrrp_notify_fifo, typed as {@link Global}) and Vigil's
 * own tuning from PID {@value #PID} ({@link Config}; the bridge owns the global PID);
 * the per instance and per sync group scripts arrive from {@link InstanceNotifyConfig} and
 * {@link GroupNotifyConfig}. {@link #transition} only queues work and returns. Scripts are split,
 * checked (user, script_user, enable_script_security) and run by org.vigil.script, the package
 * core's vrrp_script tracking uses too.
 */
@Component(configurationPid = {ConfigurationPids.GLOBAL, ScriptNotifier.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {TransitionListener.class, PriorityListener.class, ScriptNotifier.class})
public class ScriptNotifier implements TransitionListener, PriorityListener {

    /**
     * Vigil's own tuning (PID {@value #PID}); script_user and the FIFOs come from the bridge's
     * global configuration ({@link Global}).
     */
    // bnd allows @Designate only on single-PID components: each OCD names its PID itself.
    @ObjectClassDefinition(pid = PID, name = "Vigil notify scripts",
            description = "How Vigil runs keepalived's notify scripts")
    @interface Config {
        @AttributeDefinition(description = "A notify script still running after this is killed, ms")
        long notify_script_timeout_ms() default DEFAULT_TIMEOUT_MS;

        @AttributeDefinition(description = "Notify scripts running at once")
        int notify_script_threads() default DEFAULT_THREADS;

        @AttributeDefinition(description = "Scripts (and FIFO lines) waiting; new ones are dropped beyond this")
        int notify_script_queue() default DEFAULT_QUEUE;
    }

    /**
     * The global_defs keywords the notify scripts read (PID org.vigil.global, written by the
     * bridge; the same configuration's election keywords are the core's form, its mail keywords
     * notify-mail's). Users: see {@link ConfigurationPids#RUN_AS_USER}.
     */
    @ObjectClassDefinition(pid = ConfigurationPids.GLOBAL, name = "Global definitions: notify scripts",
            description = "global_defs of keepalived.conf, as the notify scripts read it")
    @interface Global {
        @AttributeDefinition(description = "script_user: the user of scripts without their own; empty: keepalived_script")
        String script_user() default "";
        @AttributeDefinition(description = "script_user's group; empty: the user's own")
        String script_group() default "";
        @AttributeDefinition(description = "script_user USER :[GROUP]: also the user's supplementary groups")
        boolean script_supplementary_groups() default false;

        @AttributeDefinition(description = "enable_script_security: refuse scripts run as root from unsafe places")
        boolean enable_script_security() default false;

        @AttributeDefinition(description = "notify_fifo: the FIFO's path")
        String notify_fifo() default "";
        @AttributeDefinition(description = "notify_fifo's owner (PATH USER): the FIFO is given to this user when created; empty: script_user or the default")
        String notify_fifo_owner_user() default "";
        @AttributeDefinition(description = "notify_fifo's group (PATH USER GROUP); empty: the user's own")
        String notify_fifo_owner_group() default "";
        @AttributeDefinition(description = "notify_fifo_script: started with the FIFO as its last argument")
        String notify_fifo_script_command() default "";
        String notify_fifo_script_user() default "";
        String notify_fifo_script_group() default "";
        boolean notify_fifo_script_supplementary_groups() default false;

        @AttributeDefinition(description = "vrrp_notify_fifo: the FIFO's path")
        String vrrp_notify_fifo() default "";
        @AttributeDefinition(description = "vrrp_notify_fifo's owner (PATH USER); empty: script_user or the default")
        String vrrp_notify_fifo_owner_user() default "";
        @AttributeDefinition(description = "vrrp_notify_fifo's group (PATH USER GROUP); empty: the user's own")
        String vrrp_notify_fifo_owner_group() default "";
        String vrrp_notify_fifo_script_command() default "";
        String vrrp_notify_fifo_script_user() default "";
        String vrrp_notify_fifo_script_group() default "";
        boolean vrrp_notify_fifo_script_supplementary_groups() default false;
    }

    /** One FIFO, its owner as configured (typed attributes), and its optional reader script. */
    private record Fifo(String key, String path, String ownerUser, String ownerGroup, String command, String user,
            String group, boolean supplementaryGroups) {
    }

    /** Vigil's own settings, kept apart from the keepalived.conf bridge's global configuration. */
    static final String PID = "org.vigil.notify.script";
    /** Vigil extension: how long a notify script may run before it is killed, ms. */
    static final String TIMEOUT_KEY = "notify.script.timeout.ms";
    static final long DEFAULT_TIMEOUT_MS = 30_000;
    /** Vigil extension: scripts running at once. */
    static final String THREADS_KEY = "notify.script.threads";
    static final int DEFAULT_THREADS = 4;
    /** Vigil extension: scripts (and FIFO lines) waiting before new ones are dropped. */
    static final String QUEUE_KEY = "notify.script.queue";
    static final int DEFAULT_QUEUE = 64;

    /** How long deactivation waits for queued scripts. */
    static final long DRAIN_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(ScriptNotifier.class);

    private final Map<String, NotifyScripts> instances = new ConcurrentHashMap<>();
    private final Map<String, NotifyScripts> groups = new ConcurrentHashMap<>();
    /**
     * Scripts of instances whose configuration was deleted, kept for the core's deletion event,
     * which may arrive after this component heard of the deletion.
     */
    private final Map<String, NotifyScripts> deleted = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastPriority = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile Settings settings;
    /** The FIFOs Vigil made, removed when no longer configured or when Vigil stops (keepalived removes its own). */
    private final org.vigil.script.MadeFifos madeFifos = new org.vigil.script.MadeFifos();

    /**
     * Everything derived from the global configuration, replaced as a whole on change; the
     * security decision per script is made once under these settings (keepalived checks scripts
     * when it loads its configuration), on the runner's thread.
     */
    private record Settings(ScriptRunner runner, ScriptSecurity.Host host, RunAs scriptUser, boolean scriptUserUnread,
            boolean securityEnabled,
            Duration timeout, List<FifoWriter> fifos, Map<Script, ScriptSecurity.Decision> decisions,
            List<org.vigil.script.ScriptRun> fifoScripts, ScriptRunner fifoRunner) {
        void close() {
            // queued and running scripts still run, each bounded by its timeout
            runner.shutdown();
            // the FIFO readers live as long as their FIFO: keepalived ends them when it stops
            fifoScripts.forEach(org.vigil.script.ScriptRun::kill);
            fifoRunner.shutdown();
            fifos.forEach(FifoWriter::close);
        }
    }

    public ScriptNotifier() {
    }

    /** For tests and plain Java use. */
    ScriptNotifier(Config tuning, Global global, boolean root) {
        apply(tuning, global, root ? ScriptSecurity.Host.system() : notRoot(ScriptSecurity.Host.system()));
    }

    @Activate
    @Modified
    void activate(Config tuning, Global global) {
        apply(tuning, global, ScriptSecurity.Host.system());
    }

    /** The system's users, with Vigil taken as not root (tests that must not switch users). */
    static ScriptSecurity.Host notRoot(ScriptSecurity.Host system) {
        return new ScriptSecurity.Host() {
            @Override
            public int currentUid() {
                int uid = system.currentUid();
                return uid == 0 ? -1 : uid;
            }

            @Override
            public Optional<ScriptSecurity.Account> user(String name) {
                return system.user(name);
            }

            @Override
            public Optional<Integer> group(String name) {
                return system.group(name);
            }
        };
    }

    private void apply(Config tuning, Global global, ScriptSecurity.Host host) {
        RunAs scriptUser = null;
        boolean unread = false;
        try {
            scriptUser = RunAs.ofAttributes("script.", global.script_user(), global.script_group(),
                    global.script_supplementary_groups());
        } catch (IllegalArgumentException e) {
            // never the default user instead of the one meant (the core does the same for vrrp_scripts)
            LOG.error("Configuration {}: {}; notify scripts without their own user are not run", ConfigurationPids.GLOBAL,
                    e.getMessage());
            unread = true;
        }
        List<FifoWriter> fifos = new ArrayList<>();
        Map<Fifo, RunAs> fifoScripts = new java.util.LinkedHashMap<>();
        int queue = tuning.notify_script_queue();
        // keepalived writes VRRP events to both notify_fifo and vrrp_notify_fifo.
        for (Fifo f : List.of(
                new Fifo("notify.fifo", global.notify_fifo(), global.notify_fifo_owner_user(),
                        global.notify_fifo_owner_group(), global.notify_fifo_script_command(),
                        global.notify_fifo_script_user(), global.notify_fifo_script_group(),
                        global.notify_fifo_script_supplementary_groups()),
                new Fifo("vrrp.notify.fifo", global.vrrp_notify_fifo(), global.vrrp_notify_fifo_owner_user(),
                        global.vrrp_notify_fifo_owner_group(), global.vrrp_notify_fifo_script_command(),
                        global.vrrp_notify_fifo_script_user(), global.vrrp_notify_fifo_script_group(),
                        global.vrrp_notify_fifo_script_supplementary_groups()))) {
            if (!f.path().isBlank()) {
                RunAs owner = owner(f, scriptUser, unread, host);
                Path path = Path.of(f.path().strip());
                try {
                    // made when the configuration is read, as keepalived does, so a reader can open it at once
                    madeFifos.ensure(path, owner, host, LOG::warn);
                } catch (java.io.IOException e) {
                    LOG.warn("Cannot create notify FIFO {}: {}", path, e.getMessage());
                }
                fifos.add(new FifoWriter(path, owner, host, madeFifos, queue));
                if (!f.command().isBlank()) {
                    fifoScripts.put(f, owner);
                }
            }
        }
        Settings next = new Settings(
                new ScriptRunner("vigil-notify-script", Math.max(1, tuning.notify_script_threads()), Math.max(0, queue)),
                host, scriptUser, unread, global.enable_script_security(),
                Duration.ofMillis(tuning.notify_script_timeout_ms()),
                List.copyOf(fifos), new ConcurrentHashMap<>(), new ArrayList<>(),
                new ScriptRunner("vigil-notify-fifo-script", Math.max(1, fifoScripts.size()), 0));
        Settings previous = settings;
        if (previous != null) {
            previous.close();
        }
        settings = next;
        madeFifos.retain(fifos.stream().map(FifoWriter::path).toList(), LOG::warn);
        fifoScripts.forEach((f, owner) -> startFifoScript(next, f, owner));
    }

    /**
     * Who the FIFO is given to when Vigil creates it: its own owner, else as keepalived decides
     * (script_user, else keepalived_script); null (Vigil's user) when its owner or script_user
     * does not read, with one line for its own.
     */
    private static RunAs owner(Fifo f, RunAs scriptUser, boolean scriptUserUnread, ScriptSecurity.Host host) {
        RunAs own;
        try {
            own = RunAs.ofAttributes(f.key() + ".owner.", f.ownerUser(), f.ownerGroup(), false);
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {}: {}; FIFO {} stays owned by Vigil's user", ConfigurationPids.GLOBAL, e.getMessage(),
                    f.path().strip());
            return null;
        }
        return own == null && scriptUserUnread ? null : org.vigil.script.FifoScript.owner(own, scriptUser, host);
    }

    /**
     * At shutdown the core stops first (higher start level) and reports STOP: give notify_stop
     * scripts and FIFO lines a bounded time to go out before the framework exits.
     */
    @Deactivate
    void deactivate() {
        Settings s = settings;
        if (s != null) {
            s.runner().shutdown();
            try {
                if (!s.runner().awaitIdle(Duration.ofMillis(DRAIN_MS))) {
                    LOG.warn("Notify scripts still running at shutdown, killing them");
                    s.runner().close();
                }
            } catch (InterruptedException e) {
                s.runner().close();
                Thread.currentThread().interrupt();
            }
            s.fifos().forEach(f -> f.drain(1000));
            // the FIFO readers have had the last lines; keepalived ends them when it stops
            s.fifoScripts().forEach(org.vigil.script.ScriptRun::kill);
            s.fifoRunner().shutdown();
        }
        madeFifos.removeAll(LOG::warn);
    }

    /**
     * keepalived's notify_fifo_script: started once the FIFO exists, with the FIFO's name as its
     * last argument, as the script user (its own user, else script_user), run until Vigil stops
     * or the FIFO setting changes.
     */
    private void startFifoScript(Settings s, Fifo f, RunAs owner) {
        String fifo = Path.of(f.path().strip()).toString();
        String command = f.command();
        RunAs user;
        try {
            user = RunAs.ofAttributes(f.key() + ".script.", f.user(), f.group(), f.supplementaryGroups());
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {}: {}; notify FIFO script {} not started", ConfigurationPids.GLOBAL, e.getMessage(),
                    command);
            return;
        }
        Script script;
        try {
            script = new Script(org.vigil.script.CommandLine.parse(command), user);
        } catch (IllegalArgumentException e) {
            LOG.warn("Unable to parse notify FIFO script '{}' - ignoring", command);
            return;
        }
        String label = "notify FIFO " + fifo;
        org.vigil.script.ScriptRun run;
        try {
            run = org.vigil.script.FifoScript.start(s.fifoRunner(), Path.of(fifo), owner, LOG::warn, () -> {
                ScriptSecurity.Decision d = s.decisions().computeIfAbsent(script, sc -> decide(s, label, sc));
                return d.allowed() ? d.argv(List.of()) : null;
            });
        } catch (java.io.IOException e) {
            LOG.warn("Cannot create notify FIFO {} for {}: {}", fifo, command, e.getMessage());
            return;
        }
        s.fifoScripts().add(run);
        run.result().thenAccept(r -> {
            if (settings == s) {
                report(label, command, org.vigil.script.FifoScript.LIFETIME, r);
            }
        });
    }

    void addInstance(NotifyScripts scripts) {
        instances.put(scripts.name(), scripts);
        deleted.remove(scripts.name());
    }

    void addGroup(NotifyScripts scripts) {
        groups.put(scripts.name(), scripts);
    }

    /** An instance's configuration went away; deleted means removed (keepalived: deleted at reload). */
    void removeInstance(NotifyScripts scripts, boolean wasDeleted) {
        // the core reports the deletion itself (TransitionEvent.deleted), with FAULT or DELETED
        if (instances.remove(scripts.name(), scripts) && wasDeleted) {
            deleted.put(scripts.name(), scripts);
        }
    }

    void removeGroup(NotifyScripts scripts, boolean deleted) {
        if (groups.remove(scripts.name(), scripts) && deleted) {
            fire(TransitionEvent.Kind.GROUP, scripts, scripts.name(), Event.DELETED, 0);
        }
    }

    @Override
    public void transition(TransitionEvent event) {
        if (event.deleted()) {
            // keepalived: a deleted instance notifies FAULT, or DELETED where notify_deleted is set
            NotifyScripts scripts = instances.get(event.name());
            if (scripts == null) {
                scripts = deleted.remove(event.name());
            }
            Event what = scripts != null && scripts.notifyDeleted() ? Event.DELETED : Event.FAULT;
            fire(event.kind(), scripts, event.name(), what, event.effectivePriority());
            return;
        }
        Event what;
        if (event.stopping()) {
            what = Event.STOP;
        } else if (event.to() == InstanceState.INIT) {
            return;
        } else {
            what = Event.valueOf(event.to().name());
        }
        boolean group = event.kind() == TransitionEvent.Kind.GROUP;
        int priority = group ? 0 : event.effectivePriority();
        if (!group) {
            lastPriority.put(event.name(), priority);
        }
        fire(event.kind(), (group ? groups : instances).get(event.name()), event.name(), what, priority);
    }

    /**
     * notify_master_rx_lower_pri (its script and the FIFO's MASTER_RX_LOWER_PRI line) and, with
     * notify_priority_changes, the FIFO's MASTER_PRIORITY / BACKUP_PRIORITY lines.
     */
    @Override
    public void priorityEvent(PriorityEvent event) {
        Settings s = settings;
        if (s == null) {
            return;
        }
        NotifyScripts scripts = instances.get(event.name());
        if (event.kind() != PriorityEvent.Kind.MASTER_RX_LOWER_PRI) {
            // the bridge applied vrrp_notify_priority_changes to each instance's setting
            if (scripts == null || !scripts.priorityChanges()) {
                return;
            }
        }
        String line = "INSTANCE \"" + event.name() + "\" " + event.kind().name() + " " + event.effectivePriority();
        s.fifos().forEach(f -> f.write(line));
        if (event.kind() == PriorityEvent.Kind.MASTER_RX_LOWER_PRI && scripts != null
                && scripts.masterRxLowerPri() != null) {
            run(s, "instance " + event.name() + " MASTER_RX_LOWER_PRI", scripts.masterRxLowerPri(), List.of());
        }
    }

    private void fire(TransitionEvent.Kind kind, NotifyScripts scripts, String name, Event what, int priority) {
        Settings s = settings;
        if (s == null) {
            return;
        }
        // keepalived: STOP applies to instances only in the generic notify and the FIFO; a sync
        // group that stops runs only its notify_stop
        boolean groupStop = kind == TransitionEvent.Kind.GROUP && what == Event.STOP;
        if (!groupStop) {
            for (FifoWriter fifo : s.fifos()) {
                fifo.write(fifoLine(kind, name, what, priority));
            }
        }
        if (scripts == null) {
            return;
        }
        if (groupStop) {
            Script stop = scripts.specific().get(Event.STOP);
            if (stop != null) {
                run(s, "group " + name + " STOP", stop, List.of());
            }
            return;
        }
        String label = kind.name().toLowerCase() + " " + name + " " + what;
        Script specific = scripts.specific().get(what);
        if (specific != null) {
            run(s, label, specific, List.of());
        }
        if (scripts.generic() != null) {
            run(s, label, scripts.generic(), List.of(kind.name(), name, what.name(), Integer.toString(priority)));
        }
    }

    private void run(Settings s, String label, Script script, List<String> extra) {
        if (script.command().isEmpty()) {
            return;
        }
        String command = script.command().text();
        AtomicBoolean notAllowed = new AtomicBoolean();
        s.runner().run(() -> {
            ScriptSecurity.Decision d = s.decisions().computeIfAbsent(script, sc -> decide(s, label, sc));
            if (!d.allowed()) {
                notAllowed.set(true);
                refused.incrementAndGet();
                return null;
            }
            return d.argv(extra);
        }, s.timeout()).result().thenAccept(r -> {
            if (!notAllowed.get()) {
                report(label, command, s.timeout(), r);
            }
        });
    }

    /** keepalived's checks with its log lines, once per script and settings. */
    private static ScriptSecurity.Decision decide(Settings s, String label, Script script) {
        if (script.user() == null && s.scriptUserUnread()) {
            LOG.warn("Not running {} script {}: script_user does not read", label, script.command());
            return new ScriptSecurity.Decision(List.of(), null, ScriptSecurity.Refusal.USER, false, false);
        }
        ScriptSecurity.Decision d = ScriptSecurity.decide(script.command(), script.user(), s.scriptUser(),
                s.securityEnabled(), s.host(), line -> LOG.warn("{}", line));
        if (!d.allowed()) {
            String program = script.command().program();
            switch (d.refusal()) {
                case USER -> LOG.warn("Invalid user/group for notify script {} - ignoring", program);
                case DEFAULT_USER -> LOG.warn("Failed to set default user for notify script {} - ignoring", program);
                case NOT_ROOT -> LOG.warn("Not running {} script {}: its user is not available", label, script.command());
                default -> LOG.info("Not running {} script {}: {}", label, script.command(),
                        d.refusal().name().toLowerCase().replace('_', ' '));
            }
        } else if (d.root() && !s.securityEnabled()) {
            LOG.warn("{}", ScriptSecurity.securityViolation(d.insecure()));
        }
        return d;
    }

    private static void report(String label, String command, Duration timeout, ScriptResult r) {
        switch (r.status()) {
            case EXITED -> {
                if (r.code() != 0) {
                    LOG.info("{} script {} exited with status {}", label, command, r.code());
                } else {
                    LOG.debug("{} script {} succeeded", label, command);
                }
            }
            case SIGNALLED -> LOG.info("{} script {} ended by signal {}", label, command, r.code());
            case TIMED_OUT -> LOG.warn("{} script {} timed out after {} ms, killed", label, command, timeout.toMillis());
            case NOT_STARTED -> LOG.warn("Cannot run {} script {}: {}", label, command, r.message());
            case REJECTED -> LOG.warn("Notify queue full, not running the {} script ({})", label, r.message());
        }
    }

    /** Scripts not run because of their user or enable_script_security. */
    long refused() {
        return refused.get();
    }

    /** keepalived's FIFO line: {@code INSTANCE "VI_1" MASTER 100}. */
    static String fifoLine(TransitionEvent.Kind kind, String name, Event what, int priority) {
        return kind.name() + " \"" + name + "\" " + what.name() + " " + priority;
    }
}
