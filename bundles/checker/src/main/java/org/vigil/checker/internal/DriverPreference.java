package org.vigil.checker.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configured load-balancer driver: PID {@code org.vigil.checker}, e.g. {@code deploy/org.vigil.checker.cfg}
 * with {@code lb.driver=nft}. keepalived has no such keyword (it only has IPVS); without this
 * configuration the best ranked driver programs the pools ({@code check:driver NAME} overrides at run time).
 */
@Component(configurationPid = DriverPreference.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DriverPreference.Config.class)
public final class DriverPreference {
    static final String PID = "org.vigil.checker";

    @ObjectClassDefinition(name = "Vigil checker", description = "Which load-balancer driver programs the pools")
    public @interface Config {
        @AttributeDefinition(name = "Load-balancer driver", description = "nft or ipvs; empty: the best ranked")
        String lb_driver() default "";
    }

    private final Checker checker;

    @Activate
    public DriverPreference(@Reference Checker checker, Config config) {
        this.checker = checker;
        checker.preferDriver(config.lb_driver());
    }

    @Modified
    void modified(Config config) {
        checker.preferDriver(config.lb_driver());
    }

    @Deactivate
    void deactivate() {
        checker.preferDriver(null);
    }
}
