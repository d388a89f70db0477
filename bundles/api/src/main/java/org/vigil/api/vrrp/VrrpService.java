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

    /**
     * The names of every configured instance, ordered: for callers that only need to know which
     * instances exist, without building every instance's full status (hundreds of them).
     *
     * @since 0.7.0
     */
    default List<String> instanceNames() {
        return instances().stream().map(InstanceStatus::name).toList();
    }

    /** The name of the interface driver in use, or empty when none is bound. */
    Optional<String> activeDriver();

    /**
     * Every interface driver present, highest ranked first, the active one marked.
     *
     * @since 0.2.0
     */
    default List<DriverInfo> drivers() {
        return activeDriver().map(name -> List.of(new DriverInfo(name, 0, true))).orElse(List.of());
    }

    /**
     * Selects the interface driver by name at run time, keeping every instance's state (the swap
     * contract). A name that no driver present carries means no driver (every instance in FAULT)
     * until a driver of that name appears. {@code null} returns to the default: the framework
     * property {@code vigil.driver} if set, else the highest ranking.
     *
     * @since 0.2.0
     */
    default void selectDriver(String nameOrNull) {
        throw new UnsupportedOperationException("this election core cannot select a driver at run time");
    }

    /**
     * The driver name the core is told to use (by {@link #selectDriver} or the framework
     * property), or empty when the highest ranking decides.
     *
     * @since 0.2.0
     */
    default Optional<String> selectedDriver() {
        return Optional.empty();
    }

    /**
     * Every vrrp_sync_group, ordered by name.
     *
     * @since 0.5.0
     */
    default List<SyncGroupStatus> syncGroups() {
        return List.of();
    }

    /**
     * What the instance tracks (scripts, interfaces, files, its sync group's too), with each one's
     * verdict now; empty for an unknown instance.
     *
     * @since 0.5.0
     */
    default List<TrackStatus> tracking(String instance) {
        return List.of();
    }

    /**
     * Holds the instance in FAULT (an operator's fault, as a failed weight-0 tracker would), or
     * releases it: with {@code false} the instance runs again when nothing else holds it.
     * Not kept across a restart. Throws {@link IllegalArgumentException} for an unknown instance.
     *
     * @since 0.5.0
     */
    default void forceFault(String instance, boolean fault) {
        throw new UnsupportedOperationException("this election core cannot force a fault");
    }

    /**
     * Sends the master's gratuitous ARP / unsolicited NA burst again for the addresses it holds.
     *
     * @return false when the instance is not master (nothing is sent)
     * @since 0.5.0
     */
    default boolean announce(String instance) {
        throw new UnsupportedOperationException("this election core cannot announce addresses");
    }

    /**
     * Sets every instance's counters back to zero (keepalived's {@code --signum=STATS_CLEAR}).
     *
     * @since 0.5.0
     */
    default void clearCounters() {
        throw new UnsupportedOperationException("this election core cannot clear its counters");
    }
}
