package org.vigil.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps Vigil's capabilities out of the scripts it starts. Run as an unprivileged user with
 * ambient CAP_NET_RAW and CAP_NET_ADMIN (the systemd unit's {@code AmbientCapabilities}, or
 * setpriv/capsh without systemd), the JVM passes its ambient set to every program it execs
 * (capabilities(7): the ambient set survives execve of a program without file capabilities), so a
 * notify script or a vrrp_script would get to change addresses and send raw packets. keepalived
 * runs its scripts without its capabilities; so does Vigil: when this process holds ambient
 * capabilities, the child is started through util-linux {@code setpriv --ambient-caps=-all}, so
 * after its execve it has none in effect (effective, permitted and ambient sets all 0).
 *
 * <p>Only the ambient set is cleared: without it the inheritable set grants nothing to a program
 * without file-inheritable capabilities, nor can it be raised again (that needs the capability
 * permitted). setpriv applies the sets with capset(2), which the systemd unit therefore allows
 * again after {@code ~@privileged}. The bounding set is left alone (lowering it needs
 * CAP_SETPCAP); it only limits what set-uid or file-capability programs gain, as for any user.
 *
 * <p>Java cannot change a child's capabilities between fork and exec, and dropping the JVM's own
 * ambient set would also take CAP_NET_ADMIN from Vigil's own children that need it (nft for the
 * load balancer and use_vmac's filter): hence the wrapper, only for scripts, and only when there
 * is something to drop (Vigil as root, the usual case, has no ambient set: root's scripts are
 * root's, as in keepalived).
 */
final class InheritedCapabilities {
    /** setpriv's option that clears the ambient set before the exec. */
    static final List<String> CLEAR = List.of("--ambient-caps=-all");

    private InheritedCapabilities() {
    }

    /** Whether a program this process execs would inherit capabilities from it. */
    static boolean heldByThisProcess() {
        try {
            return held(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return false; // not Linux: nothing to drop
        }
    }

    /** Whether the CapAmb line of a /proc/PID/status text is not zero. */
    static boolean held(String status) {
        return mask(status, "CapAmb:") != 0;
    }

    /** A capability mask of a /proc/PID/status text (hexadecimal), 0 when the line is missing. */
    static long mask(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseUnsignedLong(line.substring(field.length()).trim(), 16);
            }
        }
        return 0;
    }

    /**
     * {@code argv} started without inherited capabilities: setpriv's clearing options added to the
     * setpriv already in front (the user switch of {@link ScriptSecurity.Decision#argv()}), or a
     * setpriv put in front.
     */
    static List<String> cleared(List<String> argv) {
        List<String> out = new ArrayList<>(argv.size() + CLEAR.size() + 2);
        if (argv.size() > 1 && argv.get(0).equals(ScriptSecurity.SETPRIV) && argv.get(1).startsWith("--reuid=")) {
            out.add(ScriptSecurity.SETPRIV);
            out.addAll(CLEAR);
            out.addAll(argv.subList(1, argv.size()));
        } else {
            out.add(ScriptSecurity.SETPRIV);
            out.addAll(CLEAR);
            out.add("--");
            out.addAll(argv);
        }
        return List.copyOf(out);
    }
}
