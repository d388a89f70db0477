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
 * One per vrrp_instance configuration: its smtp_alert, read through the typed {@link Config}; a
 * deleted configuration mails "Deleted".
 */
@Component(configurationPid = ConfigurationPids.INSTANCE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = InstanceMailConfig.Config.class, factory = true)
public class InstanceMailConfig {

    /** The mail keyword of a vrrp_instance (the rest of the configuration is the core's and notify-script's form). */
    @ObjectClassDefinition(name = "VRRP instance: SMTP alerts", description = "smtp_alert of one vrrp_instance of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "vrrp_instance name")
        String name();

        @AttributeDefinition(description = "smtp_alert, after the bridge's fallback to smtp_alert_vrrp and smtp_alert")
        boolean smtp_alert() default false;
    }

    private final MailNotifier notifier;
    private final String name;

    @Activate
    public InstanceMailConfig(@Reference MailNotifier notifier, Config config) {
        this.notifier = notifier;
        this.name = config.name();
        notifier.setAlert(Kind.INSTANCE, name, config.smtp_alert());
    }

    @Deactivate
    void deactivate(int reason) {
        notifier.removed(Kind.INSTANCE, name, reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }
}
