package org.vigil.lb.ipvs.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.OptionalInt;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.lb.LoadBalancerDriver;

/**
 * Registers the IPVS driver as a {@link LoadBalancerDriver} ({@code vigil.lb=ipvs}, ranked above
 * nftables: IPVS is keepalived's own data plane) only when the kernel has the IPVS generic netlink
 * family. Without it, one line says so and nothing is registered: keepalived exits here, Vigil
 * goes on with VRRP and the checker, and another driver (lb-nft) can take the pools. Nothing
 * here throws out of activation, and nothing loads a module: the lookup only asks the kernel.
 */
@Component(immediate = true, service = {}, configurationPid = IpvsLoadBalancer.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IpvsLoadBalancer.Config.class)
public final class IpvsLoadBalancer {
    private static final Logger LOG = LoggerFactory.getLogger(IpvsLoadBalancer.class);
    static final String PID = "org.vigil.lb.ipvs";
    /**
     * The calling thread's network namespace's IPVS table: there exactly when the kernel has ip_vs,
     * which is also when its generic netlink family exists (thread-self: /proc/self/net is the main
     * thread's namespace).
     */
    static final Path IPVS_PROC = Path.of("/proc/thread-self/net/ip_vs");
    static final String ABSENT = "IPVS is not available in this kernel (no IPVS generic netlink family):"
            + " the lb-ipvs driver does not register; the checker keeps the pools, lb-nft can program them";

    @ObjectClassDefinition(name = "Vigil load-balancer driver (IPVS)",
            description = "Programs the checker's pools into IPVS through generic netlink, where the kernel has IPVS. Runs without configuration.")
    public @interface Config {
        @AttributeDefinition(name = "Ranking", description = "Service ranking among load-balancer drivers (above lb-nft's 50, so IPVS wins where it exists)")
        int service_ranking() default 100;
    }

    private GenlSocket socket;
    private IpvsDriver driver;
    private ServiceRegistration<LoadBalancerDriver> registration;

    @Activate
    public IpvsLoadBalancer(BundleContext context, Config config) {
        if (!Files.exists(IPVS_PROC)) {
            // no ip_vs in this kernel (or not loaded), so no IPVS family either: said without loading the
            // native binding, which costs a start-up of jnr-ffi (0.2 s, 2 MB) for nothing when nothing
            // else has loaded it
            LOG.info(ABSENT);
            return;
        }
        try {
            socket = new GenlSocket();
            OptionalInt family = socket.family(IpvsMessages.FAMILY);
            if (family.isEmpty()) {
                LOG.info(ABSENT);
                closeSocket();
                return;
            }
            driver = new IpvsDriver(socket, family.getAsInt());
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(LoadBalancerDriver.NAME_PROPERTY, driver.name());
            props.put("service.ranking", config.service_ranking());
            registration = context.registerService(LoadBalancerDriver.class, driver, props);
            LOG.info("IPVS load balancer ready (generic netlink family {})", family.getAsInt());
        } catch (Exception | LinkageError e) {
            // a failing native binding or socket must not stop the bundle: VRRP and the checker go on
            LOG.warn("IPVS load balancer not available ({}): the lb-ipvs driver does not register; the checker keeps"
                    + " the pools", e.getMessage() == null ? e.toString() : e.getMessage());
            driver = null;
            closeSocket();
        }
    }

    /** Detection alone, for tests: the family id, or empty without IPVS. */
    static OptionalInt detect() throws java.io.IOException {
        try (GenlSocket s = new GenlSocket()) {
            return s.family(IpvsMessages.FAMILY);
        }
    }

    private void closeSocket() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
        if (driver != null) {
            driver.close();
            driver = null;
        }
        closeSocket();
    }
}
