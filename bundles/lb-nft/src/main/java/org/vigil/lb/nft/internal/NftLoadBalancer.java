package org.vigil.lb.nft.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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
 * Registers the nftables driver as a {@link LoadBalancerDriver} ({@code vigil.lb=nft}) when nft
 * runs here with the right to change the ruleset; otherwise one line says why and nothing is
 * registered, so the checker keeps reporting pools. The registration is by hand, not DS's, for
 * exactly that: a driver that cannot work must not be offered. On stop the table is deleted.
 */
@Component(immediate = true, service = NftLoadBalancer.class, configurationPid = NftLoadBalancer.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NftLoadBalancer.Config.class)
public final class NftLoadBalancer {
    private static final Logger LOG = LoggerFactory.getLogger(NftLoadBalancer.class);
    static final String PID = "org.vigil.lb.nft";

    @ObjectClassDefinition(name = "Vigil load-balancer driver (nftables)",
            description = "Programs the checker's pools into an nftables table of Vigil's own through Debian's nft. Runs without configuration.")
    public @interface Config {
        @AttributeDefinition(name = "nft", description = "The nft program")
        String nft() default "/usr/sbin/nft";

        @AttributeDefinition(name = "conntrack", description = "The conntrack program (conntrack-tools), to delete a dead real server's connections")
        String conntrack() default "/usr/sbin/conntrack";

        @AttributeDefinition(name = "Table", description = "The inet table Vigil owns: deleted and rebuilt at start, deleted on stop")
        String table() default "vigil";

        @AttributeDefinition(name = "Verify every", description = "Seconds between reading the table back and comparing it with the checker's pools (a difference is logged and repaired); 0: only on lb:show")
        int verify_seconds() default 30;

        @AttributeDefinition(name = "Ranking", description = "Service ranking among load-balancer drivers (IPVS, keepalived's own, should outrank it)")
        int service_ranking() default 50;
    }

    private final NftDriver driver;
    private final ServiceRegistration<LoadBalancerDriver> registration;
    private final ScheduledExecutorService verifier;

    @Activate
    public NftLoadBalancer(BundleContext context, Config config) {
        driver = new NftDriver(Commands.processes(10_000), List.of(config.nft()), List.of(config.conntrack()),
                config.table(), ipv6 -> forwarding(ipv6 ? "/proc/sys/net/ipv6/conf/all/forwarding"
                        : "/proc/sys/net/ipv4/ip_forward"));
        Optional<String> problem = driver.probe();
        if (problem.isPresent()) {
            LOG.warn("nftables load balancer not available ({}); the checker keeps reporting the pools", problem.get());
            registration = null;
            verifier = null;
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(LoadBalancerDriver.NAME_PROPERTY, driver.name());
        props.put("service.ranking", config.service_ranking());
        registration = context.registerService(LoadBalancerDriver.class, driver, props);
        verifier = config.verify_seconds() > 0 ? verifier(config.verify_seconds()) : null;
        LOG.info("nftables load balancer ready: table inet {} through {}", config.table(), config.nft());
    }

    /**
     * Someone (an administrator, a firewall reload) may change the table under us: compare and repair now and then,
     * from the first batch that programs the table on. Before it there is nothing to read back, so no thread and no
     * {@code nft list table} every 30 s for a checker with no virtual server (issue 12).
     */
    private ScheduledExecutorService verifier(int seconds) {
        ScheduledThreadPoolExecutor v = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vigil-lb-nft-verify");
            t.setDaemon(true);
            return t;
        });
        driver.whenFirstProgrammed(() -> {
            try {
                v.scheduleWithFixedDelay(() -> {
                    try {
                        driver.verify(true);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("nftables: could not read table inet {} back: {}", driver.table(), e.getMessage());
                    }
                }, seconds, seconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping: nothing more to verify
            }
        });
        return v;
    }

    /** lb_kind NAT needs the director to forward; keepalived leaves that to the administrator, and so do we (with a line). */
    private static boolean forwarding(String file) {
        try {
            return !Files.readString(Path.of(file)).trim().equals("0");
        } catch (IOException | RuntimeException e) {
            return true; // no such family here: nothing to say
        }
    }

    @Deactivate
    void deactivate() {
        if (verifier != null) {
            verifier.shutdownNow();
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            driver.close();
        }
    }

    /** The driver when registered (lb:show). */
    Optional<NftDriver> driver() {
        return registration == null ? Optional.empty() : Optional.of(driver);
    }
}
