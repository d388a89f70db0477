package org.vigil.core.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.ConfigurationPids;

/**
 * One vrrp_instance from a factory configuration, read through its typed {@link Config} (the
 * metatype form is the contract). Changes of the same identity are applied in place (state kept,
 * as keepalived's reload does); the core owns the instance itself. A configuration that does not
 * fit the form (a value of the wrong type, a required attribute missing) is reported in one log
 * line naming the PID and the attribute, and the instance is not started (or, on a change, keeps
 * running as it was).
 */
@Component(configurationPid = ConfigurationPids.INSTANCE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = VrrpInstanceComponent.Config.class, factory = true)
public class VrrpInstanceComponent {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpInstanceComponent.class);

    /**
     * keepalived's keywords with dots for underscores, in normalised units; see
     * {@link ConfigurationPids.Instance}. Addresses, routes, rules and track entries are one
     * String per entry in the documented entry forms ({@code VirtualAddress.parse},
     * {@code VirtualRoute.parse}, {@code VirtualRule.parse}, {@code TrackEntry.parse}).
     */
    @ObjectClassDefinition(name = "VRRP instance", description = "One vrrp_instance of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "vrrp_instance name, e.g. VI_1")
        String name();

        @AttributeDefinition(description = "MASTER or BACKUP (initial state hint)", options = {
                @org.osgi.service.metatype.annotations.Option(value = "MASTER"),
                @org.osgi.service.metatype.annotations.Option(value = "BACKUP")})
        String state() default "BACKUP";

        /** Maps to the property "interface" (DS drops a single '$'). */
        @AttributeDefinition(description = "interface to run on")
        String interface$();

        @AttributeDefinition(description = "1..255")
        int virtual_router_id();

        @AttributeDefinition(description = "1..255; 0 means keepalived's default (255 for state MASTER, else 100)")
        int priority() default 0;

        @AttributeDefinition(description = "advertisement interval in centiseconds")
        int advert_int_cs() default 100;

        @AttributeDefinition(description = "2 or 3; 0 means 3 for IPv6, else 2")
        int version() default 0;

        @AttributeDefinition(description = "IPV4 or IPV6; empty means the first virtual address's")
        String family() default "";

        boolean preempt() default true;

        long preempt_delay_ms() default 0;

        @AttributeDefinition(description = "NONE, PASS or AH")
        String auth_type() default "NONE";

        @AttributeDefinition(type = AttributeType.PASSWORD)
        String auth_pass() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "auth_hmac keys in hex, each with the id at the same index of auth.hmac.key.ids")
        String[] auth_hmac_keys() default {};

        @AttributeDefinition(description = "auth_hmac key ids 1..255, one per key")
        int[] auth_hmac_key_ids() default {};

        @AttributeDefinition(description = "the auth_hmac key id that signs; 0 means the only key")
        int auth_hmac_active_key() default 0;

        @AttributeDefinition(description = "time or monotonic")
        String auth_hmac_anti_replay() default "time";

        @AttributeDefinition(description = "seconds; 0 means max(3 x advert interval, 5 s)")
        int auth_hmac_time_window() default 0;

        @AttributeDefinition(description = "enforce, permissive or receive-only")
        String auth_hmac_mode() default "enforce";

        @AttributeDefinition(description = "ADDRESS[/PREFIX] [dev DEV] [label L] [scope S] [brd B] ..., one per value")
        String[] virtual_ipaddress() default {};

        String[] virtual_ipaddress_excluded() default {};

        String[] virtual_routes() default {};

        String[] virtual_rules() default {};

        @AttributeDefinition(description = "IP literal; empty means the interface's address")
        String unicast_src_ip() default "";

        @AttributeDefinition(description = "IP literals; empty means multicast")
        String[] unicast_peer() default {};

        String mcast_dst_ip() default "";

        boolean v3_checksum_as_v2() default false;

        int down_timer_adverts() default 3;

        boolean lower_prio_no_advert() default false;

        boolean higher_prio_send_advert() default false;

        @AttributeDefinition(description = "NAME [weight N] [reverse|noreverse], one per value")
        String[] track_script() default {};

        @AttributeDefinition(description = "INTERFACE [weight N] [reverse|noreverse], one per value")
        String[] track_interface() default {};

        @AttributeDefinition(description = "/ABSOLUTE/FILE [weight N] [reverse] [init_file V [overwrite]], one per value")
        String[] track_file() default {};

        @AttributeDefinition(description = "vrrp_track_process NAME [weight N] [reverse|noreverse], one per value")
        String[] track_process() default {};

        @AttributeDefinition(description = "milliseconds before the second burst of gratuitous ARPs/NAs")
        long garp_master_delay_ms() default 5000;

        int garp_master_repeat() default 5;

        @AttributeDefinition(description = "milliseconds between refresh bursts; 0 means none")
        long garp_master_refresh_ms() default 0;

        int garp_master_refresh_repeat() default 1;

        @AttributeDefinition(description = "milliseconds; -1 means garp.master.delay.ms")
        long garp_lower_prio_delay_ms() default -1;

        @AttributeDefinition(description = "-1 means garp.master.repeat")
        int garp_lower_prio_repeat() default -1;

        @AttributeDefinition(description = "microseconds between gratuitous ARPs")
        long vrrp_garp_interval_us() default 0;

        @AttributeDefinition(description = "microseconds between unsolicited NAs")
        long vrrp_gna_interval_us() default 0;

        @AttributeDefinition(description = "garp_extra_if: milliseconds between frames on the other interfaces; 0 means off")
        long garp_extra_if_ms() default 0;

        @AttributeDefinition(description = "garp_extra_if all")
        boolean garp_extra_if_all() default false;

        boolean use_vmac() default false;

        String use_vmac_name() default "";

        boolean vmac_xmit_base() default false;

        boolean use_ipvlan() default false;

        String use_ipvlan_name() default "";

        @AttributeDefinition(description = "ADDRESS/PREFIX put on the ipvlan interface")
        String use_ipvlan_address() default "";

        @AttributeDefinition(description = "bridge, private or vepa; empty means the kernel's default")
        String use_ipvlan_mode() default "";
    }

    private final InstanceRegistry registry;
    private final String pid;
    private String name;

    @Activate
    public VrrpInstanceComponent(@Reference InstanceRegistry registry, Config config,
            java.util.Map<String, Object> properties) {
        this.registry = registry;
        this.pid = TypedAttributes.pid(properties, ConfigurationPids.INSTANCE);
        InstanceConfig instance = read(config, "not started");
        if (instance != null) {
            registry.addInstance(instance);
            name = instance.name();
        }
    }

    @Modified
    void modified(Config config) {
        InstanceConfig instance = read(config, name == null ? "not started" : "kept as it was");
        if (instance == null) {
            return;
        }
        if (name == null) {
            registry.addInstance(instance);
        } else {
            registry.updateInstance(name, instance);
        }
        name = instance.name();
    }

    /** The instance, or null after logging the one line that says what is wrong. */
    private InstanceConfig read(Config config, String outcome) {
        return TypedAttributes.readOrLog(LOG, pid, "instance", outcome, () -> InstanceConfigs.from(config));
    }

    /** A configuration deleted at a reload is keepalived's "deleted" instance, not a stop. */
    @Deactivate
    void deactivate(int reason) {
        if (name != null) {
            registry.removeInstance(name,
                    reason == org.osgi.service.component.ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        }
    }
}
