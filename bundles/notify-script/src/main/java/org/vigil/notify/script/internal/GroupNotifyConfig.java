package org.vigil.notify.script.internal;

import java.util.Map;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.vrrp.ConfigurationPids;

/**
 * One per vrrp_sync_group configuration (the core consumes the same configurations): hands the
 * instance's notify scripts to the {@link ScriptNotifier}. A deleted configuration is keepalived's
 * "deleted at reload" and fires notify_deleted.
 */
@Component(configurationPid = ConfigurationPids.SYNC_GROUP, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public class GroupNotifyConfig {

    private final ScriptNotifier notifier;
    private final NotifyScripts scripts;

    @Activate
    public GroupNotifyConfig(@Reference ScriptNotifier notifier, Map<String, ?> props) {
        this.notifier = notifier;
        this.scripts = NotifyScripts.from(props);
        notifier.addGroup(scripts);
    }

    @Deactivate
    void deactivate(int reason) {
        notifier.removeGroup(scripts, reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }
}
