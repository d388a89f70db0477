package org.vigil.notify.mail.internal;

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
import org.vigil.api.vrrp.TransitionEvent.Kind;

/**
 * One per vrrp_sync_group configuration: its smtp_alert, read through the typed {@link Config}; a
 * deleted configuration mails "Deleted".
 */
@Component(configurationPid = ConfigurationPids.SYNC_GROUP, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = GroupMailConfig.Config.class, factory = true)
public class GroupMailConfig {

    /** The mail keyword of a vrrp_sync_group (the rest of the configuration is the core's and notify-script's form). */
    @ObjectClassDefinition(name = "VRRP sync group: SMTP alerts", description = "smtp_alert of one vrrp_sync_group of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "vrrp_sync_group name")
        String name();

        @AttributeDefinition(description = "smtp_alert, after the bridge's fallback to smtp_alert_vrrp and smtp_alert")
        boolean smtp_alert() default false;
    }

    private final MailNotifier notifier;
    private final String name;

    @Activate
    public GroupMailConfig(@Reference MailNotifier notifier, Config config) {
        this.notifier = notifier;
        this.name = config.name();
        notifier.setAlert(Kind.GROUP, name, config.smtp_alert());
    }

    @Deactivate
    void deactivate(int reason) {
        notifier.removed(Kind.GROUP, name, reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }
}
