package org.vigil.core.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Global;

/**
 * What global_defs says to the election core: enable_script_security and script_user for the
 * vrrp_scripts, and keepalived's scheduling knobs for the election thread (vrrp_rt_priority,
 * vrrp_priority, vrrp_no_swap, vrrp_rlimit_rttime). Without a global configuration, security is
 * off, scripts run as keepalived's default user, and the election thread asks for Vigil's default
 * realtime priority.
 */
@Component(configurationPid = ConfigurationPids.GLOBAL, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class GlobalDefsComponent {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpLog.LOGGER_NAME);
    static final String RT_PRIORITY = "vrrp.rt.priority";
    static final String PRIORITY = "vrrp.priority";
    static final String NO_SWAP = "vrrp.no.swap";
    static final String RLIMIT_RTTIME = "vrrp.rlimit.rttime";

    private final InstanceRegistry registry;

    @Activate
    public GlobalDefsComponent(@Reference InstanceRegistry registry, Map<String, Object> properties) {
        this.registry = registry;
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        registry.scriptSecurity(InstanceConfigParser.bool(properties, Global.ENABLE_SCRIPT_SECURITY, false),
                InstanceConfigParser.string(properties, Global.SCRIPT_USER, null));
        registry.scheduling(scheduling(properties));
    }

    /**
     * keepalived's knobs as configured. Where neither vrrp_rt_priority nor vrrp_priority is set,
     * the election thread gets Vigil's default realtime priority
     * ({@link SchedulingSettings#DEFAULT_REALTIME_PRIORITY}); {@code vrrp_rt_priority 0} (which
     * keepalived does not accept) keeps the normal scheduler, as keepalived's default does.
     */
    static SchedulingSettings scheduling(Map<String, ?> p) {
        Integer realtime = ranged(p, RT_PRIORITY, 0, 99);
        Integer nice = ranged(p, PRIORITY, -20, 19);
        boolean byDefault = realtime == null && nice == null && !p.containsKey(RT_PRIORITY);
        if (byDefault) {
            realtime = SchedulingSettings.DEFAULT_REALTIME_PRIORITY;
        } else if (realtime != null && realtime == 0) {
            realtime = null;
        }
        return new SchedulingSettings(realtime, nice, InstanceConfigParser.bool(p, NO_SWAP, false),
                ranged(p, RLIMIT_RTTIME, 1, Integer.MAX_VALUE), byDefault);
    }

    /** The value when set and in range; out of range it is ignored with keepalived's kind of line. */
    private static Integer ranged(Map<String, ?> p, String key, int min, int max) {
        Object v = p.get(key);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v.toString().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("{} '{}' is invalid (must be {}..{}) - ignoring", key.replace('.', '_'), v, min, max);
        return null;
    }
}
