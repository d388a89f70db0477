/**
 * The nftables load-balancer driver: script generation ({@link org.vigil.lb.nft.internal.NftScript}),
 * the driver's state and transactions ({@link org.vigil.lb.nft.internal.NftDriver}), child
 * processes ({@link org.vigil.lb.nft.internal.Commands}). Nothing here is exported.
 */
package org.vigil.lb.nft.internal;
