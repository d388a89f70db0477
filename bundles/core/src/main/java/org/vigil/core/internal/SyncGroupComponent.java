package org.vigil.core.internal;

import java.util.ArrayList;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.ConfigurationPids;

/**
 * One vrrp_sync_group: its members move between MASTER, BACKUP and FAULT together. Read through
 * its typed {@link Config}; a configuration that does not fit it is one log line naming the PID
 * and the attribute (the group is then not formed, or on a change kept as it was). The notify
 * scripts and smtp_alert of the same configuration are read by notify-script and notify-mail.
 */
@Component(configurationPid = ConfigurationPids.SYNC_GROUP, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = SyncGroupComponent.Config.class, factory = true)
public class SyncGroupComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SyncGroupComponent.class);

    /** keepalived's keywords; see {@link ConfigurationPids.SyncGroup}. */
    @ObjectClassDefinition(name = "VRRP sync group", description = "One vrrp_sync_group of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "vrrp_sync_group name, e.g. G1")
        String name();

        @AttributeDefinition(description = "member vrrp_instance names")
        String[] group() default {};

        @AttributeDefinition(description = "sync_group_tracking_weight: the members' tracking weights apply to every member")
        boolean sync_group_tracking_weight() default false;

        @AttributeDefinition(description = "NAME [weight N] [reverse|noreverse], one per value")
        String[] track_script() default {};

        @AttributeDefinition(description = "INTERFACE [weight N] [reverse|noreverse], one per value")
        String[] track_interface() default {};

        @AttributeDefinition(description = "/ABSOLUTE/FILE [weight N] [reverse] [init_file V [overwrite]], one per value")
        String[] track_file() default {};

        @AttributeDefinition(description = "vrrp_track_process NAME [weight N] [reverse|noreverse], one per value")
        String[] track_process() default {};
    }

    /** What the core keeps of a sync group. */
    record Group(String name, List<String> members, boolean trackingWeight, Tracks tracks) {
        static Group from(Config raw) {
            Config c = TypedAttributes.check(raw);
            List<String> members = new ArrayList<>();
            for (String m : c.group()) {
                if (!m.isBlank()) {
                    members.add(m.trim());
                }
            }
            return new Group(TypedAttributes.required(ConfigurationPids.NAME, c.name()), members,
                    c.sync_group_tracking_weight(),
                    Tracks.of(c.track_script(), c.track_interface(), c.track_file(), c.track_process()));
        }
    }

    private final InstanceRegistry registry;
    private final String pid;
    private String name;

    @Activate
    public SyncGroupComponent(@Reference InstanceRegistry registry, Config config, Map<String, Object> properties) {
        this.registry = registry;
        this.pid = TypedAttributes.pid(properties, ConfigurationPids.SYNC_GROUP);
        apply(config, "not formed");
    }

    @Modified
    void modified(Config config) {
        apply(config, name == null ? "not formed" : "kept as it was");
    }

    private void apply(Config config, String outcome) {
        Group g = TypedAttributes.readOrLog(LOG, pid, "sync group", outcome, () -> Group.from(config));
        if (g == null) {
            return;
        }
        if (name != null) {
            registry.removeSyncGroup(name);
        }
        registry.addSyncGroup(g.name(), g.members(), g.trackingWeight(), g.tracks());
        name = g.name();
    }

    @Deactivate
    void deactivate() {
        if (name != null) {
            registry.removeSyncGroup(name);
        }
    }
}
