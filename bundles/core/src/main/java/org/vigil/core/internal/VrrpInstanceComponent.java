package org.vigil.core.internal;

import java.util.Map;

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
import org.vigil.api.vrrp.ConfigurationPids;

/**
 * One vrrp_instance from a factory configuration. Changes of the same identity are applied in
 * place (state kept, as keepalived's reload does); the core owns the instance itself.
 */
@Component(configurationPid = ConfigurationPids.INSTANCE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = VrrpInstanceComponent.Config.class, factory = true)
public class VrrpInstanceComponent {

    /** keepalived's keywords; see {@link ConfigurationPids.Instance} for units and normalisation. */
    @ObjectClassDefinition(name = "VRRP instance",
            description = "One vrrp_instance of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "vrrp_instance name, e.g. VI_1")
        String name();

        @AttributeDefinition(description = "MASTER or BACKUP (initial state hint)")
        String state() default "BACKUP";

        /** Maps to the property "interface" (DS drops a single '$'). */
        @AttributeDefinition(description = "interface to run on")
        String interface$();

        int virtual_router_id();

        int priority() default 100;

        @AttributeDefinition(description = "advertisement interval in centiseconds")
        int advert_int_cs() default 100;

        int version() default 2;

        @AttributeDefinition(description = "IPV4 or IPV6")
        String family() default "IPV4";

        boolean preempt() default true;

        long preempt_delay_ms() default 0;

        @AttributeDefinition(description = "NONE, PASS or AH")
        String auth_type() default "NONE";

        @AttributeDefinition(type = AttributeType.PASSWORD)
        String auth_pass() default "";

        String[] virtual_ipaddress() default {};

        String[] virtual_ipaddress_excluded() default {};

        String unicast_src_ip() default "";

        String[] unicast_peer() default {};

        String mcast_dst_ip() default "";

        boolean v3_checksum_as_v2() default false;

        int down_timer_adverts() default 3;

        boolean lower_prio_no_advert() default false;

        boolean higher_prio_send_advert() default false;
    }

    private final InstanceRegistry registry;
    private String name;

    @Activate
    public VrrpInstanceComponent(@Reference InstanceRegistry registry, Map<String, Object> properties) {
        this.registry = registry;
        InstanceConfig config = InstanceConfigParser.parse(properties);
        registry.addInstance(config);
        name = config.name();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        InstanceConfig config = InstanceConfigParser.parse(properties);
        registry.updateInstance(name, config);
        name = config.name();
    }

    /** A configuration deleted at a reload is keepalived's "deleted" instance, not a stop. */
    @Deactivate
    void deactivate(int reason) {
        registry.removeInstance(name,
                reason == org.osgi.service.component.ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }
}
