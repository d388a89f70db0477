package org.vigil.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.LinkListener;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vrrp.IpFamily;

/**
 * An in-memory Ethernet segment: every packet a host sends reaches every other host's open
 * channels on the same interface name and family, synchronously, with TTL 255.
 */
final class FakeLan {
    /**
     * One packet seen on the wire: the IP payload, and for a caller-built datagram (AH) its IPv4
     * header too, as sent (the checksum filled in as the kernel would).
     */
    record Frame(long atMicros, String host, InetAddress source, InetAddress destination, byte[] payload,
            byte[] ipHeader) {
        Frame(long atMicros, String host, InetAddress source, InetAddress destination, byte[] payload) {
            this(atMicros, host, source, destination, payload, null);
        }

        /** Where the VRRP packet starts: after the 24-byte AH header in an AH datagram. */
        int vrrpOffset() {
            return ipHeader != null && (ipHeader[9] & 0xff) == 51 ? 24 : 0;
        }

        int vrid() {
            return payload[vrrpOffset() + 1] & 0xff;
        }

        int priority() {
            return payload[vrrpOffset() + 2] & 0xff;
        }
    }

    private final LongSupplier clock;
    final List<Frame> wire = new CopyOnWriteArrayList<>();
    private final List<Channel> channels = new CopyOnWriteArrayList<>();

    /** The receive stamp a driver puts on a packet, in nanoseconds of the LAN's clock (virtual with a {@link ManualLoop}). */
    private long stamp() {
        return clock.getAsLong() * 1_000;
    }

    FakeLan(LongSupplier clock) {
        this.clock = clock;
    }

    Host host(String name, String ipv4) {
        return new Host(name, TestConfigs.ip(ipv4));
    }

    /** Delivers a crafted payload to every open channel of the family, as if from {@code source}. */
    void inject(InetAddress source, InetAddress destination, byte[] payload, int ttl) {
        for (Channel c : channels) {
            if (c.spec.family() == IpFamily.of(source) && c.host.isUp(c.spec.interfaceName())) {
                c.listener.received(new ReceivedPacket(c.spec.interfaceName(), source, destination, ttl,
                        c.spec.protocol(), null, payload.clone(), 0, payload.length, stamp()));
            }
        }
    }

    List<Frame> framesFrom(String host) {
        return wire.stream().filter(f -> f.host().equals(host)).toList();
    }

    final class Host implements InterfaceDriver {
        final String name;
        final InetAddress address;
        private final Map<String, Boolean> links = new HashMap<>();
        private final List<LinkListener> watchers = new CopyOnWriteArrayList<>();
        final List<Channel> opened = new ArrayList<>();

        Host(String name, InetAddress address) {
            this.name = name;
            this.address = address;
            links.put("eth0", true);
            links.put("eth1", true);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public PacketChannel open(ChannelSpec spec, PacketListener listener) throws IOException {
            if (!links.containsKey(spec.interfaceName())) {
                throw new IOException("no interface " + spec.interfaceName());
            }
            Channel c = new Channel(this, spec, listener);
            channels.add(c);
            opened.add(c);
            return c;
        }

        @Override
        public Optional<LinkInfo> link(String interfaceName) {
            Boolean up = links.get(interfaceName);
            return up == null ? Optional.empty()
                    : Optional.of(new LinkInfo(interfaceName, 2, new byte[6], address, null, up));
        }

        @Override
        public AutoCloseable watchLinks(LinkListener listener) {
            watchers.add(listener);
            return () -> watchers.remove(listener);
        }

        /** fe80::(last IPv4 byte), standing in for the interface's link-local address. */
        InetAddress linkLocal() {
            return TestConfigs.ip("fe80::" + Integer.toHexString(address.getAddress()[3] & 0xff));
        }

        boolean isUp(String iface) {
            return links.getOrDefault(iface, false);
        }

        void setLink(String iface, boolean up) {
            links.put(iface, up);
            watchers.forEach(w -> w.linkChanged(iface, up));
        }

        long openChannels() {
            return opened.stream().filter(c -> c.open).count();
        }
    }

    final class Channel implements PacketChannel {
        final Host host;
        final ChannelSpec spec;
        final PacketListener listener;
        volatile boolean open = true;
        /** Calls of {@link #receivePending}: the socket reads a real driver would make. */
        int pendingReads;

        Channel(Host host, ChannelSpec spec, PacketListener listener) {
            this.host = host;
            this.spec = spec;
            this.listener = listener;
        }

        @Override
        public void send(byte[] payload, int offset, int length, InetAddress destination) throws IOException {
            if (!open || !host.isUp(spec.interfaceName())) {
                throw new IOException("link down");
            }
            byte[] copy = Arrays.copyOfRange(payload, offset, offset + length);
            wire.add(new Frame(clock.getAsLong(), host.name, sourceAddress(), destination, copy));
            for (Channel c : channels) {
                if (c.host != host && c.open && c.spec.interfaceName().equals(spec.interfaceName())
                        && c.spec.family() == spec.family() && c.host.isUp(c.spec.interfaceName())) {
                    c.listener.received(new ReceivedPacket(c.spec.interfaceName(), sourceAddress(), destination, 255,
                            spec.protocol(), null, copy.clone(), 0, copy.length, stamp()));
                }
            }
        }

        /**
         * Like a raw IPv4 socket with IP_HDRINCL: the header as the caller built it, the checksum
         * filled in; receivers get the header in {@link ReceivedPacket#ipHeader()}. Like send, it
         * reaches every channel of the family, whatever its protocol, so mismatches show.
         */
        @Override
        public void sendDatagram(byte[] datagram, int offset, int length) throws IOException {
            if (!open || !host.isUp(spec.interfaceName())) {
                throw new IOException("link down");
            }
            if (spec.family() != IpFamily.IPV4 || length < 20 || (datagram[offset] & 0xf0) != 0x40) {
                throw new IOException("not an IPv4 datagram on an IPv4 channel");
            }
            int ihl = (datagram[offset] & 0x0f) * 4;
            byte[] header = Arrays.copyOfRange(datagram, offset, offset + ihl);
            int sum = org.vigil.codec.VrrpCodec.internetChecksum(header, 0, ihl);
            header[10] = (byte) (sum >>> 8);
            header[11] = (byte) sum;
            byte[] payload = Arrays.copyOfRange(datagram, offset + ihl, offset + length);
            InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(header, 12, 16));
            InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(header, 16, 20));
            wire.add(new Frame(clock.getAsLong(), host.name, src, dst, payload, header));
            for (Channel c : channels) {
                if (c.host != host && c.open && c.spec.interfaceName().equals(spec.interfaceName())
                        && c.spec.family() == spec.family() && c.host.isUp(c.spec.interfaceName())) {
                    c.listener.received(new ReceivedPacket(c.spec.interfaceName(), src, dst, header[8] & 0xff,
                            header[9] & 0xff, header.clone(), payload.clone(), 0, payload.length, stamp()));
                }
            }
        }

        /** Delivers at once, so nothing ever waits here; counts the calls. */
        @Override
        public int receivePending(int max) {
            pendingReads++;
            return 0;
        }

        @Override
        public InetAddress sourceAddress() {
            if (spec.source() != null) {
                return spec.source();
            }
            return spec.family() == IpFamily.IPV4 ? host.address : host.linkLocal();
        }

        @Override
        public void close() {
            open = false;
            channels.remove(this);
        }
    }
}
