package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.PacketListener;
import org.vigil.libc.Libc;
import org.vigil.libc.MessageHeader;

/**
 * VRRP (or AH) over a raw IPv4 socket. The kernel builds the IP header on send; on receive a raw
 * IPv4 socket hands over the whole datagram, header included, which gives TTL, source and
 * destination without ancillary data (shared/reference/native.md section 5); the one control
 * message read is the kernel's receive stamp (SCM_TIMESTAMPNS, {@link ReceiveStamp}).
 *
 * <p>The source is chosen per packet with an IP_PKTINFO control message rather than bind(2):
 * a raw socket bound to an address only receives datagrams addressed to it, which would shut
 * out the multicast group.
 *
 * <p>For AH the authenticated data covers the IP header as sent, identification included, so
 * the caller builds the header: a protocol-51 channel is opened with IP_HDRINCL and takes whole
 * datagrams through {@link #sendDatagram}.
 */
final class Ipv4Channel extends RawChannel {

    /** RFC 3768 section 5.2.3 and RFC 5798 section 5.1.1.3: TTL must be 255. */
    static final int TTL = 255;
    /** keepalived sends adverts as precedence 6 (internetwork control), CS6. */
    static final int TOS = 0xc0;
    static final int HEADER_MIN = 20;
    private static final int MAX_PAYLOAD = 65535 - 60;
    private static final int IN_PKTINFO = 12;

    private final boolean headerIncluded;
    // send side, guarded by sendLock
    private final MessageHeader sendMsg;
    /**
     * The destination {@link #sendMsg}'s name holds (guarded by sendLock). Adverts go to the same group
     * or peer every time, and encoding it again would clone the address bytes on every send.
     */
    private InetAddress sendNameHolds;
    // receive side, under the receive lock
    /** No name (the IP header has the source) and room for the kernel's receive stamp only. */
    private final MessageHeader receiveMsg;

    /**
     * @param headerIncluded set IP_HDRINCL: {@link #sendPacket} sends caller-built datagrams and
     *        {@link #send} builds the header here
     */
    Ipv4Channel(ChannelSpec spec, PacketListener listener, int ifindex, Inet4Address source,
            boolean headerIncluded, Consumer<RawChannel> onClose) {
        super(spec, listener, ifindex, source, onClose);
        this.headerIncluded = headerIncluded;
        sendMsg = new MessageHeader(Linux.SIZEOF_SOCKADDR_IN, 65536, MessageHeader.cmsgSpace(IN_PKTINFO));
        ByteBuffer sendControl = sendMsg.control();
        // IP_PKTINFO {ifindex, spec_dst = our source, addr unused}: picks interface and source
        sendControl.putLong(0, MessageHeader.cmsgLen(IN_PKTINFO));
        sendControl.putInt(8, Linux.IPPROTO_IP);
        sendControl.putInt(12, Linux.IP_PKTINFO);
        sendControl.putInt(16, ifindex);
        sendControl.put(20, source.getAddress(), 0, 4);
        receiveMsg = new MessageHeader(0, RECEIVE_BUFFER, MessageHeader.cmsgSpace(Libc.SIZEOF_TIMESPEC));
    }

    @Override
    void configure() throws IOException {
        byte[] mreqn = new byte[12];
        if (!spec.unicast()) {
            System.arraycopy(spec.group().getAddress(), 0, mreqn, 0, 4);
        }
        System.arraycopy(source.getAddress(), 0, mreqn, 4, 4);
        putIntLe(mreqn, 8, ifindex);
        Libc.check(Libc.setsockopt(fd, Linux.IPPROTO_IP, Linux.IP_MULTICAST_IF, mreqn),
                "IP_MULTICAST_IF");
        if (!spec.unicast()) {
            // ip_mreqn {group, any local address, ifindex}
            byte[] join = mreqn.clone();
            java.util.Arrays.fill(join, 4, 8, (byte) 0);
            Libc.check(Libc.setsockopt(fd, Linux.IPPROTO_IP, Linux.IP_ADD_MEMBERSHIP, join),
                    "IP_ADD_MEMBERSHIP " + spec.group().getHostAddress() + " on " + spec.interfaceName());
        }
        Libc.setInt(fd, Linux.IPPROTO_IP, Linux.IP_MULTICAST_TTL, TTL, "IP_MULTICAST_TTL");
        Libc.setInt(fd, Linux.IPPROTO_IP, Linux.IP_TTL, TTL, "IP_TTL");
        Libc.setInt(fd, Linux.IPPROTO_IP, Linux.IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
        Libc.setInt(fd, Linux.IPPROTO_IP, Linux.IP_TOS, TOS, "IP_TOS");
        // keepalived's adverts leave DF clear; the kernel would set it by default
        Libc.setInt(fd, Linux.IPPROTO_IP, Linux.IP_MTU_DISCOVER, Linux.IP_PMTUDISC_DONT, "IP_MTU_DISCOVER");
        if (headerIncluded) {
            Libc.setInt(fd, Linux.IPPROTO_IP, Linux.IP_HDRINCL, 1, "IP_HDRINCL");
        }
    }

    @Override
    public void send(byte[] payload, int offset, int length, InetAddress destination) throws IOException {
        checkPayload(payload, offset, length, MAX_PAYLOAD);
        Inet4Address dst = requireIpv4(destination);
        if (headerIncluded) {
            byte[] packet = new byte[HEADER_MIN + length];
            Ipv4Header.write(packet, 0, TOS, 0, TTL, spec.protocol(), (Inet4Address) source, dst, length);
            System.arraycopy(payload, offset, packet, HEADER_MIN, length);
            sendPacket(packet, 0, packet.length, dst);
            return;
        }
        transmit(payload, offset, length, dst);
    }

    /**
     * The API's IP_HDRINCL path: the destination is the header's; the kernel fills in the header
     * checksum (and the identification if it is 0) and sends the rest as built.
     */
    @Override
    public void sendDatagram(byte[] datagram, int offset, int length) throws IOException {
        if (!headerIncluded) {
            throw new IOException("channel on " + spec.interfaceName() + " (protocol " + spec.protocol()
                    + ") sends payloads only; caller-built datagrams need a protocol-51 (AH) channel");
        }
        java.util.Objects.checkFromIndexSize(offset, length, datagram.length);
        if (length < HEADER_MIN || (datagram[offset] & 0xf0) != 0x40) {
            throw new IOException("not an IPv4 datagram");
        }
        int ihl = (datagram[offset] & 0x0f) * 4;
        int total = ((datagram[offset + 2] & 0xff) << 8) | (datagram[offset + 3] & 0xff);
        if (ihl < HEADER_MIN || ihl > length || total != length) {
            throw new IOException("IPv4 header length " + ihl + ", total length " + total + " but " + length + " bytes");
        }
        sendPacket(datagram, offset, length, Sockaddr.ipv4(datagram, offset + 16));
    }

    /**
     * Sends a complete IPv4 datagram built by the caller; only on a channel opened with
     * IP_HDRINCL. The kernel fills in the header checksum, and the identification when zero.
     */
    void sendPacket(byte[] packet, int offset, int length, InetAddress destination) throws IOException {
        if (!headerIncluded) {
            throw new IllegalStateException("channel on " + spec.interfaceName() + " was not opened with IP_HDRINCL");
        }
        checkPayload(packet, offset, length, 65535);
        transmit(packet, offset, length, requireIpv4(destination));
    }

    private void transmit(byte[] bytes, int offset, int length, Inet4Address dst) throws IOException {
        synchronized (sendLock) {
            requireOpen();
            sendMsg.writeData(bytes, offset, length);
            if (dst != sendNameHolds) {
                Sockaddr.putIn(sendMsg.name(), 0, dst);
                sendNameHolds = dst;
            }
            sendMsg.lengths(Linux.SIZEOF_SOCKADDR_IN, length, MessageHeader.cmsgSpace(IN_PKTINFO));
            long n = Libc.sendmsg(fd, sendMsg, 0);
            if (n < 0) {
                throw Libc.failure("sendmsg to " + dst.getHostAddress() + " on " + spec.interfaceName());
            }
        }
    }

    private Inet4Address requireIpv4(InetAddress destination) throws IOException {
        if (!(destination instanceof Inet4Address)) {
            throw new IOException("destination " + destination.getHostAddress() + " is not IPv4");
        }
        return (Inet4Address) destination;
    }

    @Override
    long receiveOne() throws IOException {
        // recvmsg rather than recv for the one control message: the kernel's receive stamp
        receiveMsg.reset();
        return readResult(Libc.recvmsg(fd, receiveMsg, Libc.MSG_DONTWAIT), "recvmsg");
    }

    @Override
    long stampRealtime() {
        return receiveMsg.timestampNanos();
    }

    @Override
    void deliver(int length, long receivedNanos) {
        if (length < HEADER_MIN) {
            return;
        }
        byte[] data = frame;
        receiveMsg.readData(data, length);
        int ihl = (data[0] & 0x0f) * 4;
        if ((data[0] & 0xf0) != 0x40 || ihl < HEADER_MIN || ihl > length) {
            return;
        }
        view.wrap(spec.interfaceName(), spec.protocol(), data[8] & 0xff, data, 0, ihl, ihl, length - ihl, receivedNanos)
                .addresses(data, 12, data, 16, 4);
        offer();
    }

    private static void putIntLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
