/**
 * Health checking of real servers: the seam between the checker (scheduling, retries, pool
 * state, notifications) and the bundles that know one kind of check (TCP_CHECK, HTTP_GET, a
 * third party's REDIS_CHECK). A check-type bundle registers a {@link org.vigil.api.check.CheckType}
 * service; it needs nothing but this package. See the README, "Writing a checker bundle".
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.vigil.api.check;
