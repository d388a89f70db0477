package org.vigil.config;

import java.util.Locale;

/** keepalived's &lt;BOOL&gt;: on|off|true|false|yes|no; a bare keyword means true. */
final class Booleans {
    private Booleans() {
    }

    /** TRUE, FALSE, or null when the word is not a boolean. An empty word is TRUE (bare flag). */
    static Boolean parse(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "", "on", "true", "yes":
                return Boolean.TRUE;
            case "off", "false", "no":
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
