package org.vigil.notify.mail.internal;

import java.util.Map;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.TransitionEvent.Kind;

/** One per vrrp_sync_group configuration: its smtp_alert; a deleted configuration mails "Deleted". */
@Component(configurationPid = ConfigurationPids.SYNC_GROUP, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public class GroupMailConfig {

    private final MailNotifier notifier;
    private final String name;

    @Activate
    public GroupMailConfig(@Reference MailNotifier notifier, Map<String, ?> props) {
        this.notifier = notifier;
        this.name = String.valueOf(props.get(ConfigurationPids.NAME));
        notifier.setAlert(Kind.GROUP, name, MailSettings.bool(props.get(ConfigurationPids.Instance.SMTP_ALERT)));
    }

    @Deactivate
    void deactivate(int reason) {
        notifier.removed(Kind.GROUP, name, reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }
}
