package org.vigil.core.internal;

import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Script;

/**
 * One vrrp_script, normalised (keepalived-behaviour.md a.1: interval 1 s, timeout = interval,
 * rise 1, fall 1, weight 0).
 *
 * @param weight the default weight of track_script entries naming this script
 * @param reverse keepalived's {@code weight N reverse}
 * @param user the run-as user ("user [group]"), null for script_user / the default
 */
record ScriptSpec(String name, String command, long intervalMillis, long timeoutMillis, int weight, boolean reverse,
        int rise, int fall, String user, boolean initFail) {

    static final long DEFAULT_INTERVAL_MILLIS = 1_000;
    /** The config bridge's key for {@code weight N reverse}. */
    static final String WEIGHT_REVERSE = "weight.reverse";

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
        String user = c.user();
        return new ScriptSpec(name, command, c.interval_ms(), c.timeout_ms() > 0 ? c.timeout_ms() : c.interval_ms(),
                c.weight(), c.weight_reverse(), c.rise(), c.fall(), user == null || user.isBlank() ? null : user.trim(),
                c.init_fail());
    }
}
