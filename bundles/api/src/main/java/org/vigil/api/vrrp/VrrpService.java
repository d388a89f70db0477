package org.vigil.api.vrrp;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The election core as seen by management (shell, JMX, ctl): read-only snapshots. */
@ProviderType
public interface VrrpService {

    /** Every configured instance, ordered by name. */
    List<InstanceStatus> instances();

    Optional<InstanceStatus> instance(String name);

    /** The name of the interface driver in use, or empty when none is bound. */
    Optional<String> activeDriver();
}
