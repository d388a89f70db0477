/**
 * The load balancer's data plane as the checker drives it: a driver (nftables, IPVS) registers a
 * {@link org.vigil.api.lb.LoadBalancerDriver} service and receives the pools of live real
 * servers. The checker chooses one driver, like the core chooses an interface driver.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vigil.api.lb;
