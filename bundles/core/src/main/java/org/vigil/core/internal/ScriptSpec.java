package org.vigil.core.internal;

import java.util.Map;

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

    static ScriptSpec parse(Map<String, ?> p) {
        String name = InstanceConfigParser.string(p, ConfigurationPids.NAME, null);
        String command = InstanceConfigParser.string(p, Script.SCRIPT, null);
        if (name == null || name.isBlank() || command == null || command.isBlank()) {
            throw new IllegalArgumentException("vrrp_script needs a name and a script");
        }
        long interval = InstanceConfigParser.longValue(p, Script.INTERVAL_MS, DEFAULT_INTERVAL_MILLIS);
        String user = InstanceConfigParser.string(p, Script.USER, null);
        return new ScriptSpec(name, command, interval, InstanceConfigParser.longValue(p, Script.TIMEOUT_MS, interval),
                InstanceConfigParser.integer(p, Script.WEIGHT, 0), InstanceConfigParser.bool(p, WEIGHT_REVERSE, false),
                InstanceConfigParser.integer(p, Script.RISE, 1), InstanceConfigParser.integer(p, Script.FALL, 1),
                user == null || user.isBlank() ? null : user.trim(), InstanceConfigParser.bool(p, Script.INIT_FAIL, false));
    }
}
