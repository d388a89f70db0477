package org.vigil.core.internal;

import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Script;

/**
 * One vrrp_script, normalised (keepalived-behaviour.md a.1: interval 1 s, timeout = interval,
 * rise 1, fall 1, weight 0).
 *
 * @param weight the default weight of track_script entries naming this script
 * @param reverse keepalived's {@code weight N reverse}
 * @param user the run-as user, null for script_user / the default
 * @param group the run-as group, null for the user's own
 * @param supplementaryGroups also the user's supplementary groups (keepalived's {@code user NAME :[GROUP]})
 */
record ScriptSpec(String name, String command, long intervalMillis, long timeoutMillis, int weight, boolean reverse,
        int rise, int fall, String user, String group, boolean supplementaryGroups, boolean initFail) {

    static final long DEFAULT_INTERVAL_MILLIS = 1_000;
    ScriptSpec {
        if (intervalMillis <= 0) {
            intervalMillis = DEFAULT_INTERVAL_MILLIS;
        }
        if (timeoutMillis <= 0) {
            timeoutMillis = intervalMillis;
        }
        rise = Math.max(1, rise);
        fall = Math.max(1, fall);
    }

    /** From the typed configuration; errors name the attribute. */
    static ScriptSpec from(VrrpScriptComponent.Config raw) {
        VrrpScriptComponent.Config c = TypedAttributes.check(raw);
        String name = TypedAttributes.required(ConfigurationPids.NAME, c.name());
        String command = TypedAttributes.required(Script.SCRIPT, c.script());
        String user = blankToNull(c.user());
        String group = blankToNull(c.group());
        // the one check of who runs a script (org.vigil.script.RunAs), shared with the notify scripts and the checker's
        org.vigil.script.RunAs.ofAttributes("", user, group, c.supplementary_groups());
        return new ScriptSpec(name, command, c.interval_ms(), c.timeout_ms() > 0 ? c.timeout_ms() : c.interval_ms(),
                c.weight(), c.weight_reverse(), c.rise(), c.fall(), user, group, c.supplementary_groups(),
                c.init_fail());
    }

    /** Who runs the script, as {@link org.vigil.script.ScriptSecurity#decide} takes it; null without a user. */
    org.vigil.script.RunAs runAs() {
        return user == null ? null : new org.vigil.script.RunAs(user, group, supplementaryGroups);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
