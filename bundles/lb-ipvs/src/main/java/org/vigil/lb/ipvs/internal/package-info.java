/**
 * The IPVS load-balancer driver: generic netlink message bytes ({@link org.vigil.lb.ipvs.internal.Genl},
 * {@link org.vigil.lb.ipvs.internal.IpvsMessages}), the difference between two sets of pools as
 * IPVS commands ({@link org.vigil.lb.ipvs.internal.IpvsPlan}), the driver's state
 * ({@link org.vigil.lb.ipvs.internal.IpvsDriver}) and the socket (the native bundle's netlink). Nothing here is exported.
 */
package org.vigil.lb.ipvs.internal;
