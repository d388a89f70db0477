/**
 * Metrics in Prometheus' text format: the metrics bundle serves them over an opt-in HTTP endpoint
 * and asks every {@link org.vigil.api.metrics.MetricSource} service for its families at each
 * scrape, so a bundle that is not installed (the checker) simply contributes none.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vigil.api.metrics;
