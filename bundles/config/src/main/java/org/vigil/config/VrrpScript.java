package org.vigil.config;

import java.math.BigDecimal;

/**
 * vrrp_script. interval and timeout are seconds (keepalived keeps millisecond resolution);
 * timeout null means "same as interval", keepalived's default.
 */
public record VrrpScript(String name, Origin origin, String script, BigDecimal interval, BigDecimal timeout,
        int weight, boolean weightReverse, int rise, int fall, String user, String group, boolean initFail) {

    /** keepalived's default interval, seconds. */
    public static final BigDecimal DEFAULT_INTERVAL = BigDecimal.ONE;
}
