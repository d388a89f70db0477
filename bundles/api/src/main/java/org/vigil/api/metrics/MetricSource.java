package org.vigil.api.metrics;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A bundle's metrics, collected at each scrape. Register it as a service; keep {@link #collect}
 * short (a snapshot, no I/O): the scrape waits for it.
 */
@ConsumerType
public interface MetricSource {

    /** Writes this source's families: for each, {@link MetricWriter#family} then its samples. */
    void collect(MetricWriter out);
}
