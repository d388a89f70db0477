package org.vigil.notify.script.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionListener;
import org.vigil.notify.script.internal.NotifyScripts.Event;
import org.vigil.notify.script.internal.NotifyScripts.Script;

/**
 * keepalived's notify scripts and notify FIFO as a {@link TransitionListener}. Reads the global
 * configuration (script_user, notify_fifo, vrrp_notify_fifo) and Vigil's own tuning from PID
 * {@value #PID} (notify.script.timeout.ms, .threads, .queue; the bridge owns the global PID);
 * the per instance and per sync group scripts arrive from {@link InstanceNotifyConfig} and
 * {@link GroupNotifyConfig}. {@link #transition} only queues work and returns.
 */
@Component(configurationPid = {ConfigurationPids.GLOBAL, ScriptNotifier.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {TransitionListener.class, ScriptNotifier.class})
public class ScriptNotifier implements TransitionListener {

    /**
     * Vigil's own tuning (PID {@value #PID}); script_user and the FIFOs come from the bridge's
     * global configuration. Declared for metatype; read as properties in {@link #activate}.
     */
    // bnd allows @Designate only on single-PID components: the OCD names its PID itself.
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
    private final Map<String, Integer> lastPriority = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile Settings settings;

    /** Everything derived from the global configuration, replaced as a whole on change. */
    private record Settings(ScriptRunner runner, RunAs runAs, boolean securityEnabled, List<FifoWriter> fifos) {
        void close() {
            runner.close();
            fifos.forEach(FifoWriter::close);
        }
    }

    public ScriptNotifier() {
    }

    /** For tests and plain Java use. */
    ScriptNotifier(Map<String, ?> global, boolean root) {
        apply(global, root);
    }

    @Activate
    @Modified
    void activate(Map<String, ?> global) {
        apply(global, RunAs.runningAsRoot());
    }

    private void apply(Map<String, ?> global, boolean root) {
        List<FifoWriter> fifos = new ArrayList<>();
        int queue = intValue(global.get(QUEUE_KEY), DEFAULT_QUEUE);
        // keepalived writes VRRP events to both notify_fifo and vrrp_notify_fifo.
        for (String key : new String[] {"notify.fifo", "vrrp.notify.fifo"}) {
            Object v = global.get(key);
            if (v != null && !String.valueOf(v).isBlank()) {
                fifos.add(new FifoWriter(Path.of(String.valueOf(v).strip().split("\\s+")[0]), queue));
            }
        }
        Object user = global.get(ConfigurationPids.Global.SCRIPT_USER);
        Settings next = new Settings(
                new ScriptRunner(intValue(global.get(THREADS_KEY), DEFAULT_THREADS), queue,
                        longValue(global.get(TIMEOUT_KEY), DEFAULT_TIMEOUT_MS)),
                new RunAs(root, user == null ? null : String.valueOf(user)),
                Boolean.parseBoolean(String.valueOf(global.get(ConfigurationPids.Global.ENABLE_SCRIPT_SECURITY))),
                List.copyOf(fifos));
        Settings previous = settings;
        settings = next;
        if (previous != null) {
            previous.close();
        }
    }

    /**
     * At shutdown the core stops first (higher start level) and reports STOP: give notify_stop
     * scripts and FIFO lines a bounded time to go out before the framework exits.
     */
    @Deactivate
    void deactivate() {
        Settings s = settings;
        if (s != null) {
            s.runner().drain(DRAIN_MS);
            s.fifos().forEach(f -> f.drain(1000));
        }
    }

    void addInstance(NotifyScripts scripts) {
        instances.put(scripts.name(), scripts);
    }

    void addGroup(NotifyScripts scripts) {
        groups.put(scripts.name(), scripts);
    }

    /** An instance's configuration went away; deleted means removed (keepalived: deleted at reload). */
    void removeInstance(NotifyScripts scripts, boolean deleted) {
        if (instances.remove(scripts.name(), scripts) && deleted) {
            fire(TransitionEvent.Kind.INSTANCE, scripts, scripts.name(), Event.DELETED,
                    lastPriority.getOrDefault(scripts.name(), 0));
        }
    }

    void removeGroup(NotifyScripts scripts, boolean deleted) {
        if (groups.remove(scripts.name(), scripts) && deleted) {
            fire(TransitionEvent.Kind.GROUP, scripts, scripts.name(), Event.DELETED, 0);
        }
    }

    @Override
    public void transition(TransitionEvent event) {
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

    private void fire(TransitionEvent.Kind kind, NotifyScripts scripts, String name, Event what, int priority) {
        Settings s = settings;
        if (s == null) {
            return;
        }
        for (FifoWriter fifo : s.fifos()) {
            fifo.write(fifoLine(kind, name, what, priority));
        }
        if (scripts == null) {
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
        s.runner().submit(label, () -> {
            List<String> argv;
            try {
                argv = new ArrayList<>(s.runAs().prefix(script.user()));
            } catch (IllegalStateException e) {
                LOG.warn("Not running {} script {}: {}", label, script.command(), e.getMessage());
                refused.incrementAndGet();
                return null;
            }
            if (argv.isEmpty() && s.runAs().root() && !ScriptSecurity.secure(script.command())) {
                if (s.securityEnabled()) {
                    LOG.warn("Unsafe permissions found for script '{}' - disabling.", script.command());
                    refused.incrementAndGet();
                    return null;
                }
                LOG.warn("SECURITY VIOLATION - scripts are being executed but script_security not enabled"
                        + " - there are insecure scripts ({}).", script.command());
            }
            argv.addAll(script.command().argv(extra));
            return argv;
        });
    }

    /** Scripts not run because of their user or enable_script_security. */
    long refused() {
        return refused.get();
    }

    /** keepalived's FIFO line: {@code INSTANCE "VI_1" MASTER 100}. */
    static String fifoLine(TransitionEvent.Kind kind, String name, Event what, int priority) {
        return kind.name() + " \"" + name + "\" " + what.name() + " " + priority;
    }

    private static int intValue(Object v, int fallback) {
        return (int) longValue(v, fallback);
    }

    private static long longValue(Object v, long fallback) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v != null) {
            try {
                return Long.parseLong(String.valueOf(v).strip());
            } catch (NumberFormatException e) {
                LOG.warn("Ignoring bad number {}", v);
            }
        }
        return fallback;
    }
}
