package org.vigil.lab;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads VRRP states from a daemon's console log (Vigil and keepalived write the same lines). */
final class States {
    private static final Pattern ENTERING = Pattern.compile("\\(VI_1\\) Entering (MASTER|BACKUP|FAULT) STATE");

    private States() {
    }

    /** The last state the log entered ("MASTER", "BACKUP", "FAULT"), or "" before the first. */
    static String last(Daemon d) {
        Matcher m = ENTERING.matcher(d.logText());
        String s = "";
        while (m.find()) {
            s = m.group(1);
        }
        return s;
    }
}
