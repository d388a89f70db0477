package org.vigil.core.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Instance;

/** One vrrp_sync_group: its members move between MASTER, BACKUP and FAULT together. */
@Component(configurationPid = ConfigurationPids.SYNC_GROUP, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = SyncGroupComponent.Config.class, factory = true)
public class SyncGroupComponent {

    @ObjectClassDefinition(name = "VRRP sync group")
    public @interface Config {
        String name();

        /** Member instance names. */
        String[] group() default {};
    }

    /** The config bridge's key for the sync_group_tracking_weight flag. */
    static final String TRACKING_WEIGHT = "sync.group.tracking.weight";

    private final InstanceRegistry registry;
    private String name;

    @Activate
    public SyncGroupComponent(@Reference InstanceRegistry registry, Map<String, Object> properties) {
        this.registry = registry;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        registry.removeSyncGroup(name);
        apply(properties);
    }

    private void apply(Map<String, Object> properties) {
        name = InstanceConfigParser.string(properties, ConfigurationPids.NAME, "group");
        // global_tracking is the keyword's older name
        boolean trackingWeight = InstanceConfigParser.bool(properties, TRACKING_WEIGHT, false)
                || InstanceConfigParser.bool(properties, "global.tracking", false);
        registry.addSyncGroup(name, InstanceConfigParser.strings(properties, ConfigurationPids.SyncGroup.GROUP),
                trackingWeight, Tracks.parse(InstanceConfigParser.strings(properties, Instance.TRACK_SCRIPT),
                        InstanceConfigParser.strings(properties, Instance.TRACK_INTERFACE),
                        InstanceConfigParser.strings(properties, Instance.TRACK_FILE),
                        InstanceConfigParser.strings(properties, Instance.TRACK_PROCESS)));
    }

    @Deactivate
    void deactivate() {
        registry.removeSyncGroup(name);
    }
}
