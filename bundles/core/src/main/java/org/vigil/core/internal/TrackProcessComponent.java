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

/**
 * One vrrp_track_process from a factory configuration, read through its typed {@link Config}; the
 * core counts its processes. A configuration that does not fit the form is one log line naming
 * the PID and the attribute (not tracked, or on a change kept as it was).
 */
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

        @AttributeDefinition(description = "empty (parameters, when given, exactly), exact, initial or partial")
        String param_match() default "";

        @AttributeDefinition(description = "-254..254: added while the quorum holds (negative: while it does not); 0 means FAULT")
        int weight() default 1;

        @AttributeDefinition(description = "weight N reverse")
        boolean weight_reverse() default false;

        @AttributeDefinition(description = "at least this many matching processes")
        int quorum() default 1;

        @AttributeDefinition(description = "at most this many matching processes")
        int quorum_max() default ProcessSpec.DEFAULT_QUORUM_MAX;

        @AttributeDefinition(description = "milliseconds a gain must last before it counts")
        long fork_delay_ms() default 0;

        @AttributeDefinition(description = "milliseconds a loss must last before it counts")
        long terminate_delay_ms() default 0;

        @AttributeDefinition(description = "match the whole command line's first word instead of the process name")
        boolean full_command() default false;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrackProcessComponent.class);
    private final InstanceRegistry registry;
    private final String pid;
    private String name;

    @Activate
    public TrackProcessComponent(@Reference InstanceRegistry registry, Config config, Map<String, Object> properties) {
        this.registry = registry;
        this.pid = TypedAttributes.pid(properties, ConfigurationPids.TRACK_PROCESS);
        apply(config, "not tracked");
    }

    @Modified
    void modified(Config config) {
        apply(config, name == null ? "not tracked" : "kept as it was");
    }

    private void apply(Config config, String outcome) {
        ProcessSpec spec = TypedAttributes.readOrLog(LOG, pid, "vrrp_track_process", outcome,
                () -> ProcessSpec.from(config));
        if (spec == null) {
            return;
        }
        if (name != null && !spec.name().equals(name)) {
            registry.removeTrackedProcess(name);
        }
        registry.addTrackedProcess(spec);
        name = spec.name();
    }

    @Deactivate
    void deactivate() {
        if (name != null) {
            registry.removeTrackedProcess(name);
        }
    }
}
