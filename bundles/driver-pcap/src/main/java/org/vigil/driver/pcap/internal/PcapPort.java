package org.vigil.driver.pcap.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.IpFamily;

/**
 * One pcap handle on one interface, shared by that interface's channels: a capture thread hands
 * each VRRP/AH frame to the channels, and the channels inject their frames through it. Created
 * on the caller's thread, so the handle's socket and the capture thread (which inherits the
 * creating thread's namespaces) live in the caller's network namespace.
 */
final class PcapPort {

    private static final Logger LOG = LoggerFactory.getLogger(PcapPort.class);
    /** What the channels can want: VRRP over IPv4 and IPv6, AH (VRRPv2 only, so IPv4). */
    static final String FILTER = "ip proto 112 or ip proto 51 or ip6 proto 112";
    private static final int SNAPLEN = 2048;
    /** Read timeout; immediate mode delivers each frame at once, and close breaks the loop. */
    private static final int READ_TIMEOUT_MILLIS = 100;
    private static final long JOIN_MILLIS = 2000;
    /** How often a capture that lost its interface tries to open it again. */
    private static final long REOPEN_MILLIS = 200;
    private static final long ADDRESS_REFRESH_NANOS = 1_000_000_000L;

    final String interfaceName;
    final byte[] mac;
    /** Replaced by the capture thread when libpcap gives up on the interface (taken down, recreated). */
    private volatile PcapHandle handle;
    /** Wakes the capture thread from its wait between reopen attempts. */
    private final Object reopenLock = new Object();
    private final List<PcapChannel> channels = new CopyOnWriteArrayList<>();
    /** Memberships that make a real NIC's multicast filter let the groups through. */
    private final Map<InetAddress, DatagramChannel> memberships = new ConcurrentHashMap<>();
    private final Thread capture;
    private volatile boolean closed;
    // capture thread only
    private Set<InetAddress> localAddresses = Set.of();
    private long localAddressesRead = Long.MIN_VALUE / 2;

    PcapPort(String interfaceName, byte[] mac) throws IOException {
        this.interfaceName = interfaceName;
        this.mac = mac.clone();
        handle = openCapture(interfaceName);
        capture = new Thread(this::captureLoop, "vigil-pcap-rx-" + interfaceName);
        capture.setDaemon(true);
        capture.start();
    }

    /** A capture handle on an Ethernet interface with the VRRP/AH filter. */
    private static PcapHandle openCapture(String interfaceName) throws IOException {
        PcapHandle h = openHandle(interfaceName);
        try {
            if (h.getDlt() != DataLinkType.EN10MB) {
                throw new IOException("interface " + interfaceName + " is not Ethernet (link type " + h.getDlt() + ")");
            }
            h.setFilter(FILTER, BpfCompileMode.OPTIMIZE);
            return h;
        } catch (PcapNativeException | NotOpenException e) {
            h.close();
            throw new IOException("capture filter on " + interfaceName + ": " + e.getMessage(), e);
        } catch (IOException e) {
            h.close();
            throw e;
        }
    }

    /**
     * Opens a non-promiscuous, immediate-mode handle that captures inbound frames only, so our
     * own injected frames never come back (shared/reference/native.md section 10).
     */
    static PcapHandle openHandle(String interfaceName) throws IOException {
        try {
            return new PcapHandle.Builder(interfaceName).snaplen(SNAPLEN)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS).timeoutMillis(READ_TIMEOUT_MILLIS)
                    .immediateMode(true).direction(PcapDirection.IN).build();
        } catch (PcapNativeException e) {
            throw new IOException("pcap cannot open " + interfaceName + " (needs CAP_NET_RAW): " + e.getMessage(), e);
        }
    }

    void add(PcapChannel channel) {
        channels.add(channel);
        if (!channel.spec.unicast()) {
            memberships.computeIfAbsent(channel.spec.group(), this::join);
        }
    }

    /** Removes a channel; true when it was the last one. */
    boolean remove(PcapChannel channel) {
        channels.remove(channel);
        return channels.isEmpty();
    }

    /**
     * Joins the group on a UDP socket only so that the kernel programs the NIC's multicast
     * filter; veths and bridges pass every group anyway. Best effort: pcap still captures what
     * reaches the interface.
     */
    private DatagramChannel join(InetAddress group) {
        DatagramChannel dc = null;
        try {
            NetworkInterface nif = NetworkInterface.getByName(interfaceName);
            if (nif == null) {
                return null;
            }
            dc = DatagramChannel.open(IpFamily.of(group) == IpFamily.IPV4 ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.INET6);
            dc.join(group, nif);
            return dc;
        } catch (IOException | RuntimeException e) {
            LOG.debug("joining {} on {} for the NIC filter failed: {}", group.getHostAddress(), interfaceName,
                    e.toString());
            closeQuietly(dc);
            return null;
        }
    }

    /** Injects one whole Ethernet frame. */
    void send(byte[] frame, int length) throws IOException {
        if (closed) {
            throw new IOException("pcap handle on " + interfaceName + " is closed");
        }
        try {
            handle.sendPacket(frame, length);
        } catch (NotOpenException e) {
            throw new IOException("pcap handle on " + interfaceName + " is closed", e);
        } catch (PcapNativeException e) {
            throw new IOException("sending on " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    private void captureLoop() {
        try {
            while (!closed) {
                byte[] frame;
                try {
                    frame = handle.getNextRawPacketEx();
                } catch (TimeoutException e) {
                    continue;
                } catch (EOFException e) {
                    // pcap_breakloop: only close() asks for it
                    continue;
                } catch (PcapNativeException | NotOpenException e) {
                    if (closed) {
                        break;
                    }
                    // libpcap reports ENETDOWN ("The interface went down") when the link is taken
                    // down; the channels stay open, so capture resumes when it comes back
                    LOG.warn("capture on {} failed ({}); reopening", interfaceName, e.getMessage());
                    reopen();
                    continue;
                }
                dispatch(frame, System.nanoTime());
            }
        } catch (RuntimeException e) {
            LOG.error("capturing on {} stopped: {}", interfaceName, e.toString());
        } finally {
            closed = true;
            // Closed here, never under a running read
            if (handle.isOpen()) {
                handle.close();
            }
        }
    }

    /** Replaces the handle, trying every REOPEN_MILLIS until it opens or the port is closed. */
    private void reopen() {
        if (handle.isOpen()) {
            handle.close();
        }
        boolean told = false;
        while (!closed) {
            synchronized (reopenLock) {
                try {
                    reopenLock.wait(REOPEN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                    return;
                }
            }
            if (closed) {
                return;
            }
            try {
                handle = openCapture(interfaceName);
                LOG.info("capture on {} reopened", interfaceName);
                return;
            } catch (IOException e) {
                if (!told) {
                    LOG.warn("capture on {} cannot be reopened yet: {}", interfaceName, e.getMessage());
                    told = true;
                }
            }
        }
    }

    /** Parses one captured frame and offers its IP payload to every channel. Capture thread only. */
    void dispatch(byte[] frame, long receivedNanos) {
        int len = frame.length;
        if (len < Frames.ETHERNET_HEADER || Arrays.equals(frame, 6, 12, mac, 0, 6)) {
            // Our own frame, should the direction filter not be supported
            return;
        }
        int ip = Frames.ETHERNET_HEADER;
        int etherType = Frames.getShort(frame, 12);
        if (etherType == Frames.ETHERTYPE_IPV4 && len >= ip + Frames.IPV4_HEADER) {
            int ihl = (frame[ip] & 0x0f) * 4;
            int total = Frames.getShort(frame, ip + 2);
            // Trailing link-layer padding is cut by the total length; fragments are never VRRP
            if ((frame[ip] & 0xf0) != 0x40 || ihl < Frames.IPV4_HEADER || total < ihl || ip + total > len
                    || (Frames.getShort(frame, ip + 6) & 0x3fff) != 0
                    // the kernel drops a bad header before any raw socket sees it
                    || Frames.checksum(frame, ip, ihl, 0) != 0) {
                return;
            }
            byte[] datagram = Arrays.copyOfRange(frame, ip, ip + total);
            deliver(IpFamily.IPV4, datagram[9] & 0xff, address(datagram, 12, 4), address(datagram, 16, 4),
                    datagram[8] & 0xff, Arrays.copyOf(datagram, ihl), datagram, ihl, total - ihl, receivedNanos);
        } else if (etherType == Frames.ETHERTYPE_IPV6 && len >= ip + Frames.IPV6_HEADER) {
            int payloadLength = Frames.getShort(frame, ip + 4);
            if ((frame[ip] & 0xf0) != 0x60 || ip + Frames.IPV6_HEADER + payloadLength > len) {
                return;
            }
            byte[] packet = Arrays.copyOfRange(frame, ip, ip + Frames.IPV6_HEADER + payloadLength);
            // A raw IPv6 socket gives no header either: ipHeader stays null, as with driver-linux
            deliver(IpFamily.IPV6, packet[6] & 0xff, address(packet, 8, 16), address(packet, 24, 16),
                    packet[7] & 0xff, null, packet, Frames.IPV6_HEADER, payloadLength, receivedNanos);
        }
    }

    private void deliver(IpFamily family, int protocol, InetAddress src, InetAddress dst, int ttl, byte[] ipHeader,
            byte[] data, int offset, int length, long receivedNanos) {
        boolean handedOver = false;
        for (PcapChannel c : channels) {
            if (c.wants(family, protocol, src, dst)) {
                // Each listener owns its bytes
                byte[] bytes = handedOver ? data.clone() : data;
                byte[] header = handedOver && ipHeader != null ? ipHeader.clone() : ipHeader;
                handedOver = true;
                c.deliver(src, dst, ttl, header, bytes, offset, length, receivedNanos);
            }
        }
    }

    /**
     * Whether an address is one of this interface's: what the kernel's unicast delivery would
     * check. Read again at most once a second, and only on a miss. Capture thread only.
     */
    boolean isLocal(InetAddress address) {
        if (localAddresses.contains(address)) {
            return true;
        }
        long now = System.nanoTime();
        if (now - localAddressesRead < ADDRESS_REFRESH_NANOS) {
            return false;
        }
        localAddressesRead = now;
        try {
            Interfaces.Iface iface = Interfaces.read().get(interfaceName);
            localAddresses = iface == null ? Set.of() : Set.copyOf(iface.addresses());
        } catch (IOException | RuntimeException e) {
            LOG.debug("reading the addresses of {} failed: {}", interfaceName, e.toString());
        }
        return localAddresses.contains(address);
    }

    /**
     * Stops the capture thread and releases the handle. In immediate mode libpcap's read blocks
     * past its timeout; pcap_breakloop wakes it (libpcap 1.10 signals an eventfd the read polls),
     * and the read then returns PCAP_ERROR_BREAK, which pcap4j throws as EOFException.
     */
    void close() {
        closed = true;
        memberships.values().forEach(PcapPort::closeQuietly);
        memberships.clear();
        synchronized (reopenLock) {
            reopenLock.notifyAll();
        }
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // between handles, or the capture thread is already gone
        }
        if (Thread.currentThread() != capture) {
            try {
                capture.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (capture.isAlive()) {
                LOG.warn("capture thread on {} did not stop within {} ms", interfaceName, JOIN_MILLIS);
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    private static InetAddress address(byte[] b, int off, int len) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + len));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(DatagramChannel dc) {
        if (dc == null) {
            return;
        }
        try {
            dc.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
