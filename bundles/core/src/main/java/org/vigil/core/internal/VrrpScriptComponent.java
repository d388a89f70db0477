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

/** One vrrp_script from a factory configuration; the core runs it and applies its verdicts. */
@Component(configurationPid = ConfigurationPids.SCRIPT, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = VrrpScriptComponent.Config.class, factory = true)
public class VrrpScriptComponent {

    /** keepalived's keywords; see {@link ConfigurationPids.Script}. */
    @ObjectClassDefinition(name = "VRRP script", description = "One vrrp_script of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "vrrp_script name, e.g. chk_web")
        String name();

        @AttributeDefinition(description = "the command; split like keepalived and exec'd without a shell")
        String script();

        long interval_ms() default 1000;

        @AttributeDefinition(description = "milliseconds; 0 means the interval")
        long timeout_ms() default 0;

        int weight() default 0;

        boolean weight_reverse() default false;

        int rise() default 1;

        int fall() default 1;

        @AttributeDefinition(description = "user to run as; empty means script_user or the default")
        String user() default "";

        @AttributeDefinition(description = "group to run as; empty means the user's own")
        String group() default "";

        @AttributeDefinition(description = "also the user's supplementary groups (keepalived's user NAME :[GROUP])")
        boolean supplementary_groups() default false;

        boolean init_fail() default false;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VrrpScriptComponent.class);
    private final InstanceRegistry registry;
    private final String pid;
    private String name;

    @Activate
    public VrrpScriptComponent(@Reference InstanceRegistry registry, Config config, Map<String, Object> properties) {
        this.registry = registry;
        this.pid = TypedAttributes.pid(properties, ConfigurationPids.SCRIPT);
        ScriptSpec spec = read(config, "not started");
        if (spec != null) {
            registry.addScript(spec);
            name = spec.name();
        }
    }

    /** The script, or null after one log line naming the PID and the attribute. */
    private ScriptSpec read(Config config, String outcome) {
        return TypedAttributes.readOrLog(LOG, pid, "vrrp_script", outcome, () -> ScriptSpec.from(config));
    }

    @Modified
    void modified(Config config) {
        ScriptSpec spec = read(config, name == null ? "not started" : "kept as it was");
        if (spec == null) {
            return;
        }
        if (name != null && !spec.name().equals(name)) {
            registry.removeScript(name);
        }
        registry.addScript(spec);
        name = spec.name();
    }

    @Deactivate
    void deactivate() {
        if (name != null) {
            registry.removeScript(name);
        }
    }
}
