package org.vigil.core.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vigil.api.vrrp.ConfigurationPids;

/** One vrrp_track_process from a factory configuration; the core counts its processes. */
@Component(configurationPid = ConfigurationPids.TRACK_PROCESS, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = TrackProcessComponent.Config.class, factory = true)
public class TrackProcessComponent {

    /** keepalived's keywords; see {@link ConfigurationPids.TrackProcess}. */
    @ObjectClassDefinition(name = "VRRP track process", description = "One vrrp_track_process of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "vrrp_track_process name, e.g. haproxy")
        String name();

        @AttributeDefinition(description = "process name, or program and parameters")
        String[] process();

        @AttributeDefinition(description = "empty, exact, initial or partial")
        String param_match() default "";

        int weight() default 1;

        boolean weight_reverse() default false;

        int quorum() default 1;

        int quorum_max() default ProcessSpec.DEFAULT_QUORUM_MAX;

        long fork_delay_ms() default 0;

        long terminate_delay_ms() default 0;

        boolean full_command() default false;
    }

    private final InstanceRegistry registry;
    private String name;

    @Activate
    public TrackProcessComponent(@Reference InstanceRegistry registry, Map<String, Object> properties) {
        this.registry = registry;
        ProcessSpec spec = ProcessSpec.parse(properties);
        registry.addTrackedProcess(spec);
        name = spec.name();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        ProcessSpec spec = ProcessSpec.parse(properties);
        if (!spec.name().equals(name)) {
            registry.removeTrackedProcess(name);
        }
        registry.addTrackedProcess(spec);
        name = spec.name();
    }

    @Deactivate
    void deactivate() {
        registry.removeTrackedProcess(name);
    }
}
