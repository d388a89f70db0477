package org.vigil.notify.script.internal;

import java.util.EnumMap;
import java.util.Map;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.notify.script.internal.NotifyScripts.Attributes;
import org.vigil.notify.script.internal.NotifyScripts.Event;

/**
 * One per vrrp_instance configuration (the core consumes the same configurations): hands the
 * instance's notify scripts, read through its typed {@link Config}, to the {@link ScriptNotifier}.
 * A deleted configuration is keepalived's "instance deleted at reload" and fires notify_deleted.
 */
@Component(configurationPid = ConfigurationPids.INSTANCE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = InstanceNotifyConfig.Config.class, factory = true)
public class InstanceNotifyConfig {

    /**
     * The notify keywords of a vrrp_instance (the same configuration's election keywords are the
     * core's form, {@code VRRP instance}). Each script's user: see {@link ConfigurationPids#RUN_AS_USER}.
     */
    @ObjectClassDefinition(name = "VRRP instance: notify scripts",
            description = "The notify scripts of one vrrp_instance of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "vrrp_instance name, e.g. VI_1")
        String name();

        @AttributeDefinition(description = "notify_master: the command, split like keepalived, no shell")
        String notify_master() default "";
        String notify_master_user() default "";
        String notify_master_group() default "";
        boolean notify_master_supplementary_groups() default false;

        String notify_backup() default "";
        String notify_backup_user() default "";
        String notify_backup_group() default "";
        boolean notify_backup_supplementary_groups() default false;

        String notify_fault() default "";
        String notify_fault_user() default "";
        String notify_fault_group() default "";
        boolean notify_fault_supplementary_groups() default false;

        String notify_stop() default "";
        String notify_stop_user() default "";
        String notify_stop_group() default "";
        boolean notify_stop_supplementary_groups() default false;

        String notify_deleted() default "";
        String notify_deleted_user() default "";
        String notify_deleted_group() default "";
        boolean notify_deleted_supplementary_groups() default false;

        @AttributeDefinition(description = "notify_deleted given (with or without a script): a deletion at reload "
                + "notifies DELETED instead of FAULT")
        boolean notify_deleted_enabled() default false;

        @AttributeDefinition(description = "notify: the generic script; INSTANCE NAME STATE PRIORITY are appended")
        // notify$: notify() is Object's; DS drops a single '$' (key "notify")
        String notify$() default "";
        String notify_user() default "";
        String notify_group() default "";
        boolean notify_supplementary_groups() default false;

        String notify_master_rx_lower_pri() default "";
        String notify_master_rx_lower_pri_user() default "";
        String notify_master_rx_lower_pri_group() default "";
        boolean notify_master_rx_lower_pri_supplementary_groups() default false;

        @AttributeDefinition(description = "notify_priority_changes: MASTER_PRIORITY / BACKUP_PRIORITY lines on the FIFOs")
        boolean notify_priority_changes() default false;
    }

    private final ScriptNotifier notifier;
    private final NotifyScripts scripts;

    @Activate
    public InstanceNotifyConfig(@Reference ScriptNotifier notifier, Config config, Map<String, Object> props) {
        this.notifier = notifier;
        this.scripts = scripts(config, String.valueOf(props.getOrDefault("service.pid", ConfigurationPids.INSTANCE)));
        notifier.addInstance(scripts);
    }

    static NotifyScripts scripts(Config c, String pid) {
        Map<Event, Attributes> specific = new EnumMap<>(Event.class);
        specific.put(Event.MASTER, new Attributes("notify.master", c.notify_master(), c.notify_master_user(),
                c.notify_master_group(), c.notify_master_supplementary_groups()));
        specific.put(Event.BACKUP, new Attributes("notify.backup", c.notify_backup(), c.notify_backup_user(),
                c.notify_backup_group(), c.notify_backup_supplementary_groups()));
        specific.put(Event.FAULT, new Attributes("notify.fault", c.notify_fault(), c.notify_fault_user(),
                c.notify_fault_group(), c.notify_fault_supplementary_groups()));
        specific.put(Event.STOP, new Attributes("notify.stop", c.notify_stop(), c.notify_stop_user(),
                c.notify_stop_group(), c.notify_stop_supplementary_groups()));
        specific.put(Event.DELETED, new Attributes("notify.deleted", c.notify_deleted(), c.notify_deleted_user(),
                c.notify_deleted_group(), c.notify_deleted_supplementary_groups()));
        return NotifyScripts.of(pid, c.name(), specific,
                new Attributes("notify", c.notify$(), c.notify_user(), c.notify_group(), c.notify_supplementary_groups()),
                new Attributes("notify.master.rx.lower.pri", c.notify_master_rx_lower_pri(),
                        c.notify_master_rx_lower_pri_user(), c.notify_master_rx_lower_pri_group(),
                        c.notify_master_rx_lower_pri_supplementary_groups()),
                c.notify_deleted_enabled(), c.notify_priority_changes());
    }

    @Deactivate
    void deactivate(int reason) {
        notifier.removeInstance(scripts, reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }
}
