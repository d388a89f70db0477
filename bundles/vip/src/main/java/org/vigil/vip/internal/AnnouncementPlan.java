package org.vigil.vip.internal;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.vigil.api.vip.VirtualAddress;

/**
 * The frames of one announcement burst and when each goes, as keepalived sends them: the whole
 * list of addresses {@code repeat} times over; gratuitous ARPs spaced by vrrp_garp_interval and
 * neighbour advertisements by vrrp_gna_interval, each family on its own clock.
 */
final class AnnouncementPlan {
    private AnnouncementPlan() {
    }

    /** One frame: the address to announce, nanoseconds after the burst starts. */
    record Frame(long offsetNanos, VirtualAddress address) {
    }

    static List<Frame> burst(Collection<VirtualAddress> addresses, int repeat, Duration arpInterval,
            Duration naInterval) {
        List<Frame> frames = new ArrayList<>();
        long next4 = 0;
        long next6 = 0;
        for (int i = 0; i < repeat; i++) {
            for (VirtualAddress a : addresses) {
                if (a.address() instanceof Inet4Address) {
                    frames.add(new Frame(next4, a));
                    next4 += arpInterval.toNanos();
                } else {
                    frames.add(new Frame(next6, a));
                    next6 += naInterval.toNanos();
                }
            }
        }
        frames.sort((x, y) -> Long.compare(x.offsetNanos(), y.offsetNanos()));
        return frames;
    }
}
