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
 * One per vrrp_instance configuration (the core consumes the same configurations): hands the
 * instance's notify scripts to the {@link ScriptNotifier}. A deleted configuration is keepalived's
 * "instance deleted at reload" and fires notify_deleted.
 */
@Component(configurationPid = ConfigurationPids.INSTANCE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public class InstanceNotifyConfig {

    private final ScriptNotifier notifier;
    private final NotifyScripts scripts;

    @Activate
    public InstanceNotifyConfig(@Reference ScriptNotifier notifier, Map<String, ?> props) {
        this.notifier = notifier;
        this.scripts = NotifyScripts.from(props);
        notifier.addInstance(scripts);
    }

    @Deactivate
    void deactivate(int reason) {
        notifier.removeInstance(scripts, reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }
}
