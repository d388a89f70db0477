package org.vigil.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.vigil.codec.DecodeStatus;
import org.vigil.codec.DecodedAdvert;
import org.vigil.codec.VrrpCodec;
import org.vigil.driver.sim.SimFrame;
import org.vigil.driver.sim.SimLanEndpoint;

/**
 * The demo's tcpdump: a silent node on the simulated LAN that decodes every advert with the codec
 * and remembers who sent what when, so the demo can show the master and the takeover gaps as a
 * capture on the switch would.
 */
final class WireObserver implements AutoCloseable {
    record Advert(long micros, String source, int priority) {
    }

    record Takeover(boolean priorityZeroSeen, long gapMicros) {
    }

    private final List<Advert> history = new ArrayList<>();
    private final DecodedAdvert scratch = new DecodedAdvert();
    private SimLanEndpoint endpoint;

    static WireObserver open(int lanPort) throws IOException {
        WireObserver o = new WireObserver();
        o.endpoint = SimLanEndpoint.open(lanPort, SimLanEndpoint.DEFAULT_SLOTS, o::received);
        return o;
    }

    private void received(SimFrame frame) {
        if (frame.kind() != SimFrame.Kind.IP_PACKET || frame.protocol() != VrrpCodec.IP_PROTOCOL) {
            return;
        }
        byte[] payload = frame.payload();
        DecodeStatus status = VrrpCodec.decode(payload, 0, payload.length, frame.ipVersion() == 6,
                frame.source().getAddress(), frame.destination().getAddress(), frame.ttl(), scratch);
        if (status != DecodeStatus.OK) {
            return;
        }
        synchronized (history) {
            history.add(new Advert(System.nanoTime() / 1000, frame.source().getHostAddress(), scratch.priority()));
        }
    }

    /** The current position in the capture. */
    long mark() {
        synchronized (history) {
            return history.isEmpty() ? 0 : history.get(history.size() - 1).micros() + 1;
        }
    }

    /** The sender of the latest advert with a non-zero priority, if it is still advertising. */
    String currentMaster() {
        Advert a = latestLive();
        return a == null ? null : a.source();
    }

    int currentMasterPriority() {
        Advert a = latestLive();
        return a == null ? 0 : a.priority();
    }

    private Advert latestLive() {
        long now = System.nanoTime() / 1000;
        synchronized (history) {
            for (int i = history.size() - 1; i >= 0; i--) {
                Advert a = history.get(i);
                if (now - a.micros() > 3_000_000) {
                    return null;
                }
                if (a.priority() > 0) {
                    // the sender must not have gone silent with a priority-0 advert since
                    return lastFrom(a.source()).priority() > 0 ? a : null;
                }
            }
        }
        return null;
    }

    private Advert lastFrom(String source) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).source().equals(source)) {
                return history.get(i);
            }
        }
        return null;
    }

    /**
     * The gap between the old master's last advert (its priority-0 advert for a graceful stop)
     * and the new master's first advert after {@code mark}.
     */
    Takeover takeoverSince(long mark, String oldMaster, String newMaster) {
        synchronized (history) {
            Advert first = null;
            for (Advert a : history) {
                if (a.micros() >= mark && a.source().equals(newMaster) && a.priority() > 0) {
                    first = a;
                    break;
                }
            }
            if (first == null) {
                return new Takeover(false, -1);
            }
            Advert last = null;
            for (Advert a : history) {
                if (a.micros() > first.micros()) {
                    break;
                }
                if (a.source().equals(oldMaster)) {
                    last = a;
                }
            }
            if (last == null) {
                return new Takeover(false, -1);
            }
            return new Takeover(last.priority() == 0, first.micros() - last.micros());
        }
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    static String text(InetAddress a) {
        return a.getHostAddress();
    }
}
