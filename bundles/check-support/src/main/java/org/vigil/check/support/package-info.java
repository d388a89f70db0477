/**
 * Code several check-type bundles share (today: {@link org.vigil.check.support.Datagrams}, the
 * selector loop of DNS_CHECK and UDP_CHECK). Not exported and not deployed: each bundle that uses
 * it embeds a private copy with bnd's {@code -conditionalpackage: org.vigil.check.support}, so the
 * code exists once in the source and no bundle depends on another's internals.
 */
package org.vigil.check.support;
