package org.vigil.driver.pcap.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vrrp.IpFamily;

/**
 * One instance's view of a {@link PcapPort}: it hears the frames of its family, protocol and
 * mode, and sends whole frames it builds itself (what the kernel does for a raw socket).
 */
final class PcapChannel implements PacketChannel {

    private static final Logger LOG = LoggerFactory.getLogger(PcapChannel.class);

    final ChannelSpec spec;
    private final PcapPort port;
    private final PacketListener listener;
    private final InetAddress source;
    private final boolean datagrams;
    private final Consumer<PcapChannel> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** IPv4 identification, counted from 1 as keepalived's adverts show (lab.md section 7). */
    private final AtomicInteger identification = new AtomicInteger();

    /**
     * @param datagrams whether {@link #sendDatagram} is allowed: protocol-51 (AH) channels, as
     *        driver-linux opens those with IP_HDRINCL
     */
    PcapChannel(ChannelSpec spec, PcapPort port, PacketListener listener, InetAddress source, boolean datagrams,
            Consumer<PcapChannel> onClose) {
        this.spec = spec;
        this.port = port;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.source = source;
        this.datagrams = datagrams;
        this.onClose = onClose;
    }

    /** Whether a captured packet is this channel's; capture thread only. */
    boolean wants(IpFamily family, int protocol, InetAddress src, InetAddress dst) {
        if (closed.get() || family != spec.family() || protocol != spec.protocol() || src.equals(source)) {
            // Our own packet (a second Vigil on this host, or a loop) is never our business
            return false;
        }
        // Each channel hears its own mode only, so an instance never gets one packet twice
        if (spec.unicast()) {
            return !dst.isMulticastAddress() && !isBroadcast(dst) && (dst.equals(source) || port.isLocal(dst));
        }
        return dst.equals(spec.group());
    }

    void deliver(InetAddress src, InetAddress dst, int ttl, byte[] ipHeader, byte[] data, int offset, int length,
            long receivedNanos) {
        try {
            listener.received(new ReceivedPacket(spec.interfaceName(), src, dst, ttl, spec.protocol(), ipHeader, data,
                    offset, length, receivedNanos));
        } catch (RuntimeException e) {
            LOG.warn("packet listener on {} failed", spec.interfaceName(), e);
        }
    }

    @Override
    public void send(byte[] payload, int offset, int length, InetAddress destination) throws IOException {
        Objects.checkFromIndexSize(offset, length, payload.length);
        requireOpen();
        if (IpFamily.of(destination) != spec.family()) {
            throw new IOException("destination " + destination.getHostAddress() + " is not " + spec.family());
        }
        byte[] dstMac = destinationMac(destination);
        byte[] frame = spec.family() == IpFamily.IPV4
                ? Frames.ipv4(port.mac, dstMac, nextIdentification(), spec.protocol(), (Inet4Address) source,
                        (Inet4Address) destination, payload, offset, length)
                : Frames.ipv6(port.mac, dstMac, spec.protocol(), (Inet6Address) source, (Inet6Address) destination,
                        payload, offset, length);
        port.send(frame, frame.length);
    }

    /**
     * The IP_HDRINCL path: the caller's whole IPv4 datagram, to the destination in its header;
     * the header checksum (and a zero identification) is filled in here as the kernel would.
     */
    @Override
    public void sendDatagram(byte[] datagram, int offset, int length) throws IOException {
        if (!datagrams) {
            throw new IOException("channel on " + spec.interfaceName() + " (protocol " + spec.protocol()
                    + ") sends payloads only; caller-built datagrams need a protocol-51 (AH) channel");
        }
        Objects.checkFromIndexSize(offset, length, datagram.length);
        requireOpen();
        if (length < Frames.IPV4_HEADER) {
            throw new IOException("not an IPv4 datagram");
        }
        InetAddress destination;
        try {
            destination = InetAddress.getByAddress(Arrays.copyOfRange(datagram, offset + 16, offset + 20));
        } catch (UnknownHostException e) {
            throw new IOException(e);
        }
        byte[] frame;
        try {
            frame = Frames.ipv4Datagram(port.mac, destinationMac(destination), datagram, offset, length,
                    nextIdentification());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        port.send(frame, frame.length);
    }

    private byte[] destinationMac(InetAddress destination) {
        if (destination.isMulticastAddress()) {
            return Frames.multicastMac(destination);
        }
        if (isBroadcast(destination)) {
            return Frames.BROADCAST_MAC;
        }
        return Neighbours.unicastMac(spec.interfaceName(), destination);
    }

    private int nextIdentification() {
        int id = identification.incrementAndGet() & 0xffff;
        return id != 0 ? id : identification.incrementAndGet() & 0xffff;
    }

    private void requireOpen() throws IOException {
        if (closed.get() || port.isClosed()) {
            throw new IOException("channel on " + spec.interfaceName() + " is closed");
        }
    }

    private static boolean isBroadcast(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "pcap channel " + spec.interfaceName() + " " + spec.family() + " protocol " + spec.protocol()
                + (spec.unicast() ? " unicast" : " group " + spec.group().getHostAddress());
    }
}
