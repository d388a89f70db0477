package org.vigil.core.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    static ProcessSpec parse(Map<String, ?> p) {
        String name = InstanceConfigParser.string(p, ConfigurationPids.NAME, null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("vrrp_track_process needs a name");
        }
        List<String> command = InstanceConfigParser.strings(p, TrackProcess.PROCESS);
        String match = InstanceConfigParser.string(p, TrackProcess.PARAM_MATCH, "").trim().toLowerCase(Locale.ROOT);
        // keepalived: param_match without parameters means "no parameters at all"
        ParamMatch pm = !match.isEmpty() && command.size() <= 1 ? ParamMatch.EXACT : switch (match) {
            case "initial" -> ParamMatch.INITIAL;
            case "partial" -> ParamMatch.PARTIAL;
            case "exact" -> ParamMatch.EXACT;
            default -> command.size() > 1 ? ParamMatch.EXACT : ParamMatch.ANY;
        };
        return new ProcessSpec(name.trim(), command, pm, InstanceConfigParser.integer(p, TrackProcess.WEIGHT, 1),
                InstanceConfigParser.bool(p, TrackProcess.WEIGHT_REVERSE, false),
                InstanceConfigParser.integer(p, TrackProcess.QUORUM, 1),
                InstanceConfigParser.integer(p, TrackProcess.QUORUM_MAX, DEFAULT_QUORUM_MAX),
                InstanceConfigParser.longValue(p, TrackProcess.FORK_DELAY_MS, 0),
                InstanceConfigParser.longValue(p, TrackProcess.TERMINATE_DELAY_MS, 0),
                InstanceConfigParser.bool(p, TrackProcess.FULL_COMMAND, false));
    }
}
