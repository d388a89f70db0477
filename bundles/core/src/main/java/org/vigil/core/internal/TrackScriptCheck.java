package org.vigil.core.internal;

import java.util.function.Consumer;

import org.vigil.script.CommandLine;
import org.vigil.script.ScriptSecurity;

/**
 * Whether and how a vrrp_script runs: keepalived's splitting and script security from
 * org.vigil.script, plus the vrrp_script's own lines. Called off the election thread (by the
 * engine before it posts a change), so file and user lookups never delay an advert.
 */
final class TrackScriptCheck {

    private TrackScriptCheck() {
    }

    /**
     * The decision for {@code spec}, or null when the script is disabled (it then has no effect
     * on its trackers), logging as keepalived does.
     *
     * @param scriptUser global_defs script_user, may be null
     */
    static ScriptSecurity.Decision decide(ScriptSpec spec, boolean securityEnabled, org.vigil.script.RunAs scriptUser,
            ScriptSecurity.Host host, Consumer<String> log) {
        CommandLine command;
        try {
            command = CommandLine.parse(spec.command());
        } catch (IllegalArgumentException e) {
            log.accept(e.getMessage());
            command = null;
        }
        if (command == null || command.isEmpty()) {
            log.accept("No script set for vrrp_script " + spec.name() + " - removing");
            return null;
        }
        ScriptSecurity.Decision d = ScriptSecurity.decide(command, spec.runAs(), scriptUser, securityEnabled, host, log);
        if (!d.allowed()) {
            switch (d.refusal()) {
                case USER -> log.accept("Unable to set uid/gid for script " + quotedWords(command));
                case DEFAULT_USER -> log.accept("Unable to set default user for vrrp script " + spec.name() + " - removing");
                case NOT_ROOT -> log.accept("VRRP_Script(" + spec.name() + ") disabled: its user is not available");
                case NOT_FOUND -> log.accept("Disabling track script " + spec.name() + " since not found/accessible");
                case INSECURE -> log.accept("Disabling track script " + spec.name() + " due to insecure");
                case NOT_EXECUTABLE, EMPTY -> {
                    // keepalived's WARNING line (from ScriptSecurity) is all it says
                }
            }
            return null;
        }
        if (d.root() && !securityEnabled) {
            log.accept(ScriptSecurity.securityViolation(d.insecure()));
        }
        return d;
    }

    /** keepalived's way of showing a command in its messages: each word in single quotes. */
    static String quotedWords(CommandLine command) {
        StringBuilder b = new StringBuilder();
        for (String w : command.words()) {
            b.append(b.length() == 0 ? "" : " ").append('\'').append(w).append('\'');
        }
        return b.toString();
    }
}
