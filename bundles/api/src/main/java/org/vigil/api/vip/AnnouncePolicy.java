package org.vigil.api.vip;

import java.time.Duration;
import java.util.Objects;

/**
 * When a master announces its virtual addresses (gratuitous ARP for IPv4, unsolicited neighbour
 * advertisement for IPv6, RFC 5798 section 6.4.2): {@code repeat} frames per address at once,
 * the same again after {@code delay}, then {@code refreshRepeat} frames every {@code refresh}
 * while the addresses are held. keepalived's knobs: garp_master_delay, garp_master_repeat,
 * garp_master_refresh, garp_master_refresh_repeat (or garp_lower_prio_delay/repeat for the
 * announcement of a master that hears a lower priority), vrrp_garp_interval, vrrp_gna_interval.
 *
 * @param delay time until the second burst; zero for none
 * @param repeat frames per address in a burst; zero announces nothing
 * @param refresh period of the refresh bursts; zero for none
 * @param refreshRepeat frames per address in a refresh burst
 * @param arpInterval spacing between two gratuitous ARPs of a burst; zero for back to back
 * @param naInterval spacing between two neighbour advertisements of a burst; zero for back to back
 * @param extraInterfaceRefresh keepalived's garp_extra_if: the period of one frame per address for
 *        the addresses that are not on {@code instanceDevice} (every address with
 *        {@code extraInterfaceAll}); zero for none
 * @param extraInterfaceAll garp_extra_if's "all"
 * @param instanceDevice the instance's interface, or null
 */
public record AnnouncePolicy(Duration delay, int repeat, Duration refresh, int refreshRepeat,
        Duration arpInterval, Duration naInterval, Duration extraInterfaceRefresh, boolean extraInterfaceAll,
        String instanceDevice) {

    /** keepalived's defaults: 5 frames now and 5 more after 5 s, no refresh, no spacing. */
    public static final AnnouncePolicy DEFAULT = new AnnouncePolicy(Duration.ofSeconds(5), 5, Duration.ZERO, 1,
            Duration.ZERO, Duration.ZERO);

    /** Announces nothing. */
    public static final AnnouncePolicy NONE = new AnnouncePolicy(Duration.ZERO, 0, Duration.ZERO, 0,
            Duration.ZERO, Duration.ZERO);

    /** Without garp_extra_if. */
    public AnnouncePolicy(Duration delay, int repeat, Duration refresh, int refreshRepeat, Duration arpInterval,
            Duration naInterval) {
        this(delay, repeat, refresh, refreshRepeat, arpInterval, naInterval, Duration.ZERO, false, null);
    }

    /** This policy with keepalived's garp_extra_if for an instance on {@code device}. */
    public AnnouncePolicy withExtraInterfaces(Duration period, boolean all, String device) {
        return new AnnouncePolicy(delay, repeat, refresh, refreshRepeat, arpInterval, naInterval, period, all, device);
    }

    /** Whether garp_extra_if announces this address (it is on another interface than the instance's, or "all"). */
    public boolean extraInterfaceAnnounces(VirtualAddress a) {
        return !extraInterfaceRefresh.isZero() && (extraInterfaceAll || !a.device().equals(instanceDevice));
    }

    public AnnouncePolicy {
        extraInterfaceRefresh = nonNegative(extraInterfaceRefresh, "extraInterfaceRefresh");
        delay = nonNegative(delay, "delay");
        refresh = nonNegative(refresh, "refresh");
        arpInterval = nonNegative(arpInterval, "arpInterval");
        naInterval = nonNegative(naInterval, "naInterval");
        if (repeat < 0 || refreshRepeat < 0) {
            throw new IllegalArgumentException("repeat counts must not be negative: " + repeat + ", " + refreshRepeat);
        }
    }

    private static Duration nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return d;
    }

    /** Whether any frame would be sent at all. */
    public boolean announces() {
        return repeat > 0 || (!refresh.isZero() && refreshRepeat > 0);
    }
}
