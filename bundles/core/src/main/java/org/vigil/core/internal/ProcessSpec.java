package org.vigil.core.internal;

import java.util.List;
import java.util.Locale;

import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.TrackProcess;

/**
 * One vrrp_track_process, normalised (keepalived.conf(5) "VRRP track processes"): weight 1,
 * quorum 1, no maximum, no delays.
 *
 * @param command the process name, or with parameters (or full_command) the program as
 *        /proc/PID/cmdline's first word, then the parameters
 * @param quorumMax at most this many matching processes for success
 */
record ProcessSpec(String name, List<String> command, ParamMatch paramMatch, int weight, boolean reverse, int quorum,
        int quorumMax, long forkDelayMillis, long terminateDelayMillis, boolean fullCommand) {

    /** The kernel's TASK_COMM_LEN less the NUL: /proc/PID/comm holds at most 15 bytes. */
    static final int COMM_LENGTH = 15;
    static final int DEFAULT_QUORUM_MAX = 65535;

    /** How the parameters are compared. */
    enum ParamMatch {
        /** No parameters and no param_match: only the name (or program) counts. */
        ANY,
        /** Parameters given without param_match: exactly these. */
        EXACT,
        /** The configured parameters are the first ones of the command (more may follow). */
        PARTIAL,
        /** As PARTIAL, and the last configured one may be the start of the command's parameter. */
        INITIAL
    }

    ProcessSpec {
        command = List.copyOf(command);
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new IllegalArgumentException("vrrp_track_process " + name + " needs a process");
        }
    }

    /** Whether matching needs /proc/PID/cmdline (else /proc/PID/comm is enough). */
    boolean needsCommandLine() {
        return fullCommand || paramMatch != ParamMatch.ANY;
    }

    /** Whether the process with this comm and command line (null when not read) is one of ours. */
    boolean matches(String comm, List<String> cmdline) {
        String program = command.get(0);
        if (!needsCommandLine()) {
            String wanted = program.length() > COMM_LENGTH ? program.substring(0, COMM_LENGTH) : program;
            return wanted.equals(comm);
        }
        if (cmdline == null || cmdline.isEmpty() || !cmdline.get(0).equals(program)) {
            return false;
        }
        List<String> params = command.subList(1, command.size());
        List<String> actual = cmdline.subList(1, cmdline.size());
        switch (paramMatch) {
            case ANY:
                return true;
            case EXACT:
                return actual.equals(params);
            default:
                if (actual.size() < params.size()) {
                    return false;
                }
                for (int i = 0; i < params.size(); i++) {
                    boolean last = i == params.size() - 1;
                    String a = actual.get(i);
                    String p = params.get(i);
                    if (!(a.equals(p) || (last && paramMatch == ParamMatch.INITIAL && a.startsWith(p)))) {
                        return false;
                    }
                }
                return true;
        }
    }

    /** Whether {@code count} matching processes make the quorum. */
    boolean quorate(int count) {
        return count >= quorum && count <= quorumMax;
    }

    /** From the typed configuration; errors name the attribute. */
    static ProcessSpec from(TrackProcessComponent.Config raw) {
        TrackProcessComponent.Config c = TypedAttributes.check(raw);
        String name = TypedAttributes.required(ConfigurationPids.NAME, c.name());
        List<String> command = c.process() == null ? List.of() : List.of(c.process());
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("attribute " + TrackProcess.PROCESS + ": required");
        }
        String match = c.param_match().trim().toLowerCase(Locale.ROOT);
        // keepalived: param_match without parameters means "no parameters at all"
        ParamMatch pm = switch (match) {
            case "" -> command.size() > 1 ? ParamMatch.EXACT : ParamMatch.ANY;
            case "initial" -> command.size() > 1 ? ParamMatch.INITIAL : ParamMatch.EXACT;
            case "partial" -> command.size() > 1 ? ParamMatch.PARTIAL : ParamMatch.EXACT;
            case "exact" -> ParamMatch.EXACT;
            default -> throw new IllegalArgumentException("attribute " + TrackProcess.PARAM_MATCH + ": '" + match
                    + "' is not exact, initial or partial");
        };
        if (c.weight() < -254 || c.weight() > 254) {
            throw new IllegalArgumentException("attribute " + TrackProcess.WEIGHT + ": " + c.weight()
                    + " not in -254..254");
        }
        if (c.quorum() < 0) {
            throw new IllegalArgumentException("attribute " + TrackProcess.QUORUM + ": " + c.quorum() + " is negative");
        }
        if (c.quorum_max() < c.quorum()) {
            throw new IllegalArgumentException("attribute " + TrackProcess.QUORUM_MAX + ": " + c.quorum_max()
                    + " is less than quorum " + c.quorum());
        }
        return new ProcessSpec(name, command, pm, c.weight(), c.weight_reverse(), c.quorum(), c.quorum_max(),
                Math.max(0, c.fork_delay_ms()), Math.max(0, c.terminate_delay_ms()), c.full_command());
    }
}
