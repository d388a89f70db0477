package org.vigil.check.misc.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.CheckTypeName;
import org.vigil.api.check.HealthCheck;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.script.CommandLine;
import org.vigil.script.RunAs;
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
@Designate(ocd = MiscCheckType.Global.class)
public final class MiscCheckType implements CheckType {
    static final String TYPE = "MISC_CHECK";
    /** Scripts running at once for every MISC_CHECK of the daemon; more wait their turn. */
    static final int MAX_RUNNING = 64;
    /** Runs waiting for a slot; beyond that an attempt fails at once (the runner says why). */
    static final int MAX_WAITING = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(MiscCheckType.class);

    /**
     * The global_defs keywords MISC_CHECK reads (PID org.vigil.global, written by the bridge; the
     * same configuration's other keywords are the core's and the notifiers' forms).
     */
    @ObjectClassDefinition(name = "Global definitions: MISC_CHECK",
            description = "global_defs of keepalived.conf, as MISC_CHECK reads it")
    @interface Global {
        @AttributeDefinition(description = "script_user: the user of scripts without their own; empty: keepalived_script")
        String script_user() default "";

        @AttributeDefinition(description = "script_user's group; empty: the user's own")
        String script_group() default "";

        @AttributeDefinition(description = "script_user USER :[GROUP]: also the user's supplementary groups")
        boolean script_supplementary_groups() default false;

        @AttributeDefinition(description = "enable_script_security: refuse scripts run as root from unsafe places")
        boolean enable_script_security() default false;
    }

    /** global_defs as far as scripts care. */
    record Globals(RunAs scriptUser, boolean securityEnabled, boolean scriptUserUnread) {
        Globals(RunAs scriptUser, boolean securityEnabled) {
            this(scriptUser, securityEnabled, false);
        }

        /**
         * The typed attributes. A script user that does not read is one line, and scripts without
         * their own user are then refused: never the default user instead of the one meant.
         */
        static Globals of(Global g) {
            try {
                return new Globals(RunAs.ofAttributes("script.", g.script_user(), g.script_group(),
                        g.script_supplementary_groups()), g.enable_script_security());
            } catch (IllegalArgumentException e) {
                LOG.error("Configuration {}: {}; MISC_CHECK scripts without their own user are not run",
                        ConfigurationPids.GLOBAL, e.getMessage());
                return new Globals(null, g.enable_script_security(), true);
            }
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
    public MiscCheckType(Global global) {
        this(Globals.of(global), new ScriptRunner("vigil-check-misc", MAX_RUNNING, MAX_WAITING),
                ScriptSecurity.Host.system(), LOG::warn);
    }

    MiscCheckType(Globals globals, ScriptRunner runner, ScriptSecurity.Host host, Consumer<String> scriptLog) {
        this.globals = globals;
        this.runner = runner;
        this.host = host;
        this.scriptLog = scriptLog;
    }

    @Modified
    void modified(Global global) {
        apply(Globals.of(global));
    }

    /** New global settings: the checks re-decide their script at their next attempt. */
    void apply(Globals g) {
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
        // the check block holds its keywords as tokens (the checker SPI): "user USER [[:]GROUP]"
        RunAs user = RunAs.words(c.user());
        Globals g = globals;
        ScriptSecurity.Decision d = decide(command, user, g);
        return new MiscCheck(spec, this, command, user, c.misc_timeout(), c.misc_dynamic(), g, d);
    }

    /**
     * The script package's verdict, logged in its words; a refusal throws with keepalived's
     * MISC_CHECK line, which the checker logs with the block's file:line.
     */
    ScriptSecurity.Decision decide(CommandLine command, RunAs user, Globals g) {
        if (user == null && g.scriptUserUnread()) {
            throw new IllegalArgumentException(refusalLine(ScriptSecurity.Refusal.USER, command.text()));
        }
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
