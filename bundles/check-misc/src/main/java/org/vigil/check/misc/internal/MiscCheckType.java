package org.vigil.check.misc.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.CheckTypeName;
import org.vigil.api.check.HealthCheck;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.script.CommandLine;
import org.vigil.script.ScriptRunner;
import org.vigil.script.ScriptSecurity;

/**
 * keepalived's MISC_CHECK: each attempt runs {@code misc_path} (split by keepalived's rules, never
 * through a shell) as {@code user [group]}, else global_defs script_user, else keepalived_script;
 * exit 0 passes, anything else fails; with {@code misc_dynamic} an exit status 2..255 passes and
 * sets the weight to status - 2. Scripts run on one {@link ScriptRunner} for the whole daemon, so
 * an attempt only queues a run and returns.
 *
 * <p>Requires the bridge's global configuration (always published with the keepalived.conf): a
 * script must never run before enable_script_security is known. A change to it is taken without
 * re-registering the service (which would leave every check "checker missing" for a moment); the
 * checks re-decide their script at their next attempt.
 */
@Component(service = CheckType.class, configurationPid = ConfigurationPids.GLOBAL,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@CheckTypeName(type = MiscCheckType.TYPE)
public final class MiscCheckType implements CheckType {
    static final String TYPE = "MISC_CHECK";
    /** Scripts running at once for every MISC_CHECK of the daemon; more wait their turn. */
    static final int MAX_RUNNING = 64;
    /** Runs waiting for a slot; beyond that an attempt fails at once (the runner says why). */
    static final int MAX_WAITING = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(MiscCheckType.class);

    /** global_defs as far as scripts care. */
    record Globals(String scriptUser, boolean securityEnabled) {
        static Globals of(Map<String, Object> props) {
            Object user = props.get(ConfigurationPids.Global.SCRIPT_USER);
            Object security = props.get(ConfigurationPids.Global.ENABLE_SCRIPT_SECURITY);
            String u = user == null ? null : user instanceof String[] a ? String.join(" ", a) : user.toString();
            return new Globals(u == null || u.isBlank() ? null : u,
                    security instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(security)));
        }
    }

    private final ScriptRunner runner;
    private final ScriptSecurity.Host host;
    /** Receives the script package's lines (the logger; a test collects them). */
    private final Consumer<String> scriptLog;
    private final AtomicBoolean violationLogged = new AtomicBoolean();
    /**
     * The user and group lines name no script: logged once, not once per check (a thousand real
     * servers with the same missing keepalived_script user would log it a thousand times).
     */
    private final Set<String> accountLines = ConcurrentHashMap.newKeySet();
    private volatile Globals globals;

    @Activate
    public MiscCheckType(Map<String, Object> props) {
        this(Globals.of(props), new ScriptRunner("vigil-check-misc", MAX_RUNNING, MAX_WAITING),
                ScriptSecurity.Host.system(), LOG::warn);
    }

    MiscCheckType(Globals globals, ScriptRunner runner, ScriptSecurity.Host host, Consumer<String> scriptLog) {
        this.globals = globals;
        this.runner = runner;
        this.host = host;
        this.scriptLog = scriptLog;
    }

    @Modified
    void modified(Map<String, Object> props) {
        Globals g = Globals.of(props);
        if (!g.equals(globals)) {
            violationLogged.set(false);
            accountLines.clear();
            globals = g;
        }
    }

    /** Kills the scripts still running: their checks are gone with this service. */
    @Deactivate
    public void deactivate() {
        runner.close();
    }

    Globals globals() {
        return globals;
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        MiscConfig c = spec.properties().as(MiscConfig.class);
        if (c.misc_path().isBlank()) {
            throw new IllegalArgumentException("No script path has been specified for MISC_CHECKER - skipping");
        }
        CommandLine command;
        try {
            command = CommandLine.parse(c.misc_path());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " - disabling misc script " + c.misc_path(), e);
        }
        if (c.misc_timeout() < 0) {
            throw new IllegalArgumentException("Invalid misc_timeout value '" + c.misc_timeout() + "'");
        }
        String user = c.user().isBlank() ? null : c.user();
        Globals g = globals;
        ScriptSecurity.Decision d = decide(command, user, g);
        return new MiscCheck(spec, this, command, user, c.misc_timeout(), c.misc_dynamic(), g, d);
    }

    /**
     * The script package's verdict, logged in its words; a refusal throws with keepalived's
     * MISC_CHECK line, which the checker logs with the block's file:line.
     */
    ScriptSecurity.Decision decide(CommandLine command, String user, Globals g) {
        ScriptSecurity.Decision d = ScriptSecurity.decide(command, user, g.scriptUser(), g.securityEnabled(), host,
                line -> {
                    if (!(line.startsWith("Script user '") || line.startsWith("Script group '")) || accountLines.add(line)) {
                        scriptLog.accept(line);
                    }
                });
        if (!d.allowed()) {
            throw new IllegalArgumentException(refusalLine(d.refusal(), command.text()));
        }
        if (d.root() && !g.securityEnabled() && violationLogged.compareAndSet(false, true)) {
            // keepalived's checker says "check scripts" where the VRRP side says "scripts"
            LOG.warn("SECURITY VIOLATION - check scripts are being executed but script_security not enabled.{}",
                    d.insecure() ? " There are insecure scripts." : "");
        }
        return d;
    }

    /** keepalived's checker lines for a misc script it will not run. */
    static String refusalLine(ScriptSecurity.Refusal why, String script) {
        return switch (why) {
            case EMPTY -> "No script path has been specified for MISC_CHECKER - skipping";
            case DEFAULT_USER -> "Unable to set default user for misc script " + script + " - removing";
            case USER, NOT_ROOT -> "Failed to set uid/gid for misc checker script " + script + " - removing";
            case INSECURE -> "Disabling misc script " + script + " due to insecure";
            case NOT_FOUND, NOT_EXECUTABLE -> "Disabling misc script " + script + " since not found/accessible";
        };
    }

    ScriptRunner runner() {
        return runner;
    }

    /** The block's own keywords (the bridge's keys: misc_path is misc.path). */
    @interface MiscConfig {
        String misc_path() default "";

        /** Seconds; 0 means not set (keepalived: the delay_loop). */
        long misc_timeout() default 0;

        boolean misc_dynamic() default false;

        /** "user [group]". */
        String user() default "";
    }
}
