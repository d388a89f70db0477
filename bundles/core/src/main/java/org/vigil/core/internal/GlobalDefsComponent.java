package org.vigil.core.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Global;

/**
 * What global_defs says to the election core: enable_script_security and script_user for the
 * vrrp_scripts, and keepalived's scheduling knobs for the election thread (vrrp_rt_priority,
 * vrrp_priority, vrrp_no_swap, vrrp_rlimit_rttime), read through the typed {@link Config}.
 * Without a global configuration, security is off, scripts run as keepalived's default user, and
 * the election thread asks for Vigil's default realtime priority. The same PID's mail and notify
 * keys are read by notify-mail and notify-script.
 */
@Component(configurationPid = ConfigurationPids.GLOBAL, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = GlobalDefsComponent.Config.class)
public class GlobalDefsComponent {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpLog.LOGGER_NAME);
    /** vrrp_rt_priority not configured. */
    static final int UNSET = -1;

    /** The global_defs keywords the election core reads; see {@link ConfigurationPids.Global}. */
    @ObjectClassDefinition(name = "Global definitions", description = "global_defs of keepalived.conf, as the election core reads it")
    public @interface Config {
        @AttributeDefinition(description = "enable_script_security: refuse vrrp_scripts run as root from unsafe places")
        boolean enable_script_security() default false;

        @AttributeDefinition(description = "script_user: the user of scripts without their own; empty means keepalived_script")
        String script_user() default "";

        @AttributeDefinition(description = "script_user's group; empty means the user's own")
        String script_group() default "";

        @AttributeDefinition(description = "script_user USER :[GROUP]: also the user's supplementary groups")
        boolean script_supplementary_groups() default false;

        @AttributeDefinition(description = "realtime priority 1..99 of the election thread; 0 means the normal scheduler; "
                + "-1 means Vigil's default (1) unless vrrp.priority is set")
        int vrrp_rt_priority() default UNSET;

        @AttributeDefinition(description = "nice value -20..19 of the election thread; 0 leaves it")
        int vrrp_priority() default 0;

        @AttributeDefinition(description = "lock the process's memory (mlockall)")
        boolean vrrp_no_swap() default false;

        @AttributeDefinition(description = "RLIMIT_RTTIME in microseconds; 0 means none")
        int vrrp_rlimit_rttime() default 0;
    }

    private final InstanceRegistry registry;
    private final String pid;

    @Activate
    public GlobalDefsComponent(@Reference InstanceRegistry registry, Config config, Map<String, Object> properties) {
        this.registry = registry;
        this.pid = TypedAttributes.pid(properties, ConfigurationPids.GLOBAL);
        modified(config);
    }

    @Modified
    void modified(Config config) {
        Config c = TypedAttributes.readOrLog(LOG, pid, "global_defs", "not applied", () -> TypedAttributes.check(config));
        if (c == null) {
            return;
        }
        try {
            registry.scriptSecurity(c.enable_script_security(), org.vigil.script.RunAs.ofAttributes("script.",
                    c.script_user(), c.script_group(), c.script_supplementary_groups()));
        } catch (IllegalArgumentException e) {
            // not the default user instead of the one meant: the scripts keep the settings they had
            // (none at first: vrrp_scripts do not run until script security is known)
            LOG.error("Configuration {}: {}; script_user and enable_script_security not applied", pid, e.getMessage());
        }
        registry.scheduling(scheduling(c, pid));
    }

    /**
     * keepalived's knobs as configured. Where neither vrrp_rt_priority nor vrrp_priority is set,
     * the election thread gets Vigil's default realtime priority
     * ({@link SchedulingSettings#DEFAULT_REALTIME_PRIORITY}); {@code vrrp_rt_priority 0} (which
     * keepalived does not accept) keeps the normal scheduler, as keepalived's default does. A
     * value out of range is ignored with one line naming the PID and attribute.
     */
    static SchedulingSettings scheduling(Config c, String pid) {
        int rt = c.vrrp_rt_priority();
        Integer realtime = rt == UNSET ? null : ranged(pid, Global.VRRP_RT_PRIORITY, rt, 0, 99);
        Integer nice = c.vrrp_priority() == 0 ? null : ranged(pid, Global.VRRP_PRIORITY, c.vrrp_priority(), -20, 19);
        Integer rttime = c.vrrp_rlimit_rttime() == 0 ? null
                : ranged(pid, Global.VRRP_RLIMIT_RTTIME, c.vrrp_rlimit_rttime(), 1, Integer.MAX_VALUE);
        boolean byDefault = rt == UNSET && nice == null;
        if (byDefault) {
            realtime = SchedulingSettings.DEFAULT_REALTIME_PRIORITY;
        } else if (realtime != null && realtime == 0) {
            realtime = null;
        }
        return new SchedulingSettings(realtime, nice, c.vrrp_no_swap(), rttime, byDefault);
    }

    /** The value when in range; out of range it is ignored with one line naming PID and attribute. */
    private static Integer ranged(String pid, String key, int v, int min, int max) {
        if (v >= min && v <= max) {
            return v;
        }
        LOG.warn("Configuration {}: attribute {}: {} not in {}..{} - ignoring", pid, key, v, min, max);
        return null;
    }
}
