package org.vigil.api.lb;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Programs virtual services into the kernel. Registered with {@value #NAME_PROPERTY}; the checker
 * binds the highest ranked (service.ranking) unless one is named in its configuration, calls
 * {@link #apply} with every service when it binds, and then with each batch of changes.
 */
@ConsumerType
public interface LoadBalancerDriver {

    /** Service property naming the driver: "nft", "ipvs". */
    String NAME_PROPERTY = "vigil.lb";

    String name();

    /**
     * Makes the kernel match: each service in {@code services} as given (its whole destination
     * list: live real servers, or the sorry server), each key in {@code removed} gone. One call
     * is one transaction where the kernel allows it, so no client sees a half-applied pool.
     * Called on one checker thread at a time; may block briefly (a netlink round trip).
     *
     * @throws IOException when the kernel refused; the checker logs it and retries with the next batch
     */
    void apply(List<VirtualService> services, List<ServiceKey> removed) throws IOException;

    /**
     * Whether this driver can program {@code service} at all (an lb_kind or scheduler nftables
     * cannot express): empty when it can, else the reason, logged once and reported by
     * {@code bin/vigil -t}.
     */
    default java.util.Optional<String> refuse(VirtualService service) {
        return java.util.Optional.empty();
    }
}
