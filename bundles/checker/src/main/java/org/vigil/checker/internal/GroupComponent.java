package org.vigil.checker.internal;

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
import org.vigil.api.check.CheckerPids;

/** One virtual_server_group: which addresses and marks a "virtual_server group NAME" stands for. */
@Component(configurationPid = CheckerPids.GROUP, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = GroupComponent.Config.class, factory = true)
public class GroupComponent {

    @ObjectClassDefinition(name = "Virtual server group", description = "One virtual_server_group of keepalived.conf")
    public @interface Config {
        String name();

        @AttributeDefinition(description = "'FIRST-LAST port' per address entry, e.g. '192.0.2.1-192.0.2.10 80'")
        String[] addresses() default {};

        @AttributeDefinition(description = "'mark [inet|inet6]' per fwmark entry")
        String[] fwmarks() default {};
    }

    private final Checker checker;
    private final String pid;

    @Activate
    public GroupComponent(@Reference Checker checker, Config config, Map<String, Object> props) {
        this.checker = checker;
        this.pid = String.valueOf(props.get("service.pid"));
        checker.putGroup(pid, settings(config));
    }

    @Modified
    void modified(Config config) {
        checker.putGroup(pid, settings(config));
    }

    @Deactivate
    void deactivate() {
        checker.removeGroup(pid);
    }

    private static GroupSettings settings(Config c) {
        return new GroupSettings(c.name(), List.of(c.addresses()), List.of(c.fwmarks()));
    }
}
