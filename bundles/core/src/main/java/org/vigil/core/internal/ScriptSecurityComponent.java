package org.vigil.core.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Global;

/**
 * global_defs enable_script_security and script_user for the vrrp_scripts. Without a global
 * configuration, security is off and scripts run as keepalived's default user.
 */
@Component(configurationPid = ConfigurationPids.GLOBAL, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class ScriptSecurityComponent {
    private final InstanceRegistry registry;

    @Activate
    public ScriptSecurityComponent(@Reference InstanceRegistry registry, Map<String, Object> properties) {
        this.registry = registry;
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        registry.scriptSecurity(InstanceConfigParser.bool(properties, Global.ENABLE_SCRIPT_SECURITY, false),
                InstanceConfigParser.string(properties, Global.SCRIPT_USER, null));
    }
}
