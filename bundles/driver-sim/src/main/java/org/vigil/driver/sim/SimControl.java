package org.vigil.driver.sim;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The knobs of one simulated driver, registered as a service next to its InterfaceDriver and
 * VipManager, so that the shell or a test can pull a cable or make the LAN worse at run time.
 * Values set here last until the driver's configuration changes them again.
 */
@ProviderType
public interface SimControl {

    /**
     * The configuration property naming the router, which the service also carries: a test
     * running several simulated routers in one framework picks one with {@code (node=r1)}.
     */
    String NODE_PROPERTY = "node";

    /** This router's name on the LAN. */
    String node();

    /** The LAN's base port (its name). */
    int lanPort();

    /** The UDP port this driver bound on the LAN. */
    int localPort();

    /** The configured interface names, in configuration order. */
    List<String> interfaces();

    /**
     * Pulls (false) or plugs (true) the cable of an interface: while down, nothing is sent or
     * received on it and link watchers hear the change.
     *
     * @throws IllegalArgumentException for an interface that is not configured
     */
    void setLinkUp(String interfaceName, boolean up);

    /** @throws IllegalArgumentException for an interface that is not configured */
    boolean isLinkUp(String interfaceName);

    void setDelayMillis(long delayMillis);

    void setLossPercent(int lossPercent);

    /** Every address the VIP recorder holds, by instance name. */
    Map<String, Set<String>> heldAddresses();
}
