package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.PacketListener;
import org.vigil.libc.Libc;
import org.vigil.libc.MessageHeader;

/**
 * VRRPv3 over a raw IPv6 socket. An IPv6 raw socket delivers no header, so hop limit and
 * destination come as ancillary data (IPV6_HOPLIMIT, IPV6_PKTINFO) and the source as msg_name;
 * the kernel's receive stamp comes beside them (SCM_TIMESTAMPNS, {@link ReceiveStamp}).
 * The kernel fills in the VRRP checksum at offset 6 on send and drops received packets whose
 * checksum is wrong (IPV6_CHECKSUM; shared/reference/native.md section 7).
 */
final class Ipv6Channel extends RawChannel {

    /** RFC 5798 section 5.1.2.3: hop limit must be 255. */
    static final int HOP_LIMIT = 255;
    /** RFC 5798 section 5.2.8: the checksum is the 16-bit field at byte 6 of the VRRP packet. */
    static final int VRRP_CHECKSUM_OFFSET = 6;
    static final int VRRP = 112;
    private static final int IN6_PKTINFO = 20;
    /** IPV6_HOPLIMIT, IPV6_PKTINFO and SCM_TIMESTAMPNS, with room to spare. */
    private static final int CONTROL = 256;
    private static final int MAX_PAYLOAD = 65535;

    // send side, guarded by sendLock
    private final MessageHeader sendMsg;
    /**
     * The destination {@link #sendMsg}'s name holds (guarded by sendLock). Adverts go to the same group
     * or peer every time, and encoding it again would clone the address bytes on every send.
     */
    private InetAddress sendNameHolds;
    // receive side, receive thread only
    private final MessageHeader receiveMsg;
    private final byte[] sourceAddress = new byte[16];
    private final byte[] destination = new byte[16];

    Ipv6Channel(ChannelSpec spec, PacketListener listener, int ifindex, Inet6Address source,
            Consumer<RawChannel> onClose) {
        super(spec, listener, ifindex, source, onClose);
        sendMsg = new MessageHeader(Linux.SIZEOF_SOCKADDR_IN6, 65536, MessageHeader.cmsgSpace(IN6_PKTINFO));
        ByteBuffer sendControl = sendMsg.control();
        // IPV6_PKTINFO {source address, ifindex}: the source is the link-local address (RFC 5798
        // section 5.1.2.1) without binding, which would narrow what the socket receives
        sendControl.putLong(0, MessageHeader.cmsgLen(IN6_PKTINFO));
        sendControl.putInt(8, Linux.IPPROTO_IPV6);
        sendControl.putInt(12, Linux.IPV6_PKTINFO);
        sendControl.put(16, source.getAddress(), 0, 16);
        sendControl.putInt(32, ifindex);

        receiveMsg = new MessageHeader(Linux.SIZEOF_SOCKADDR_IN6, RECEIVE_BUFFER, CONTROL);
    }

    @Override
    void configure() throws IOException {
        if (spec.protocol() == VRRP) {
            Libc.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_CHECKSUM, VRRP_CHECKSUM_OFFSET, "IPV6_CHECKSUM");
        }
        Libc.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_MULTICAST_HOPS, HOP_LIMIT, "IPV6_MULTICAST_HOPS");
        Libc.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_UNICAST_HOPS, HOP_LIMIT, "IPV6_UNICAST_HOPS");
        Libc.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
        Libc.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF");
        if (!spec.unicast()) {
            byte[] mreq = new byte[20];
            System.arraycopy(spec.group().getAddress(), 0, mreq, 0, 16);
            mreq[16] = (byte) ifindex;
            mreq[17] = (byte) (ifindex >>> 8);
            mreq[18] = (byte) (ifindex >>> 16);
            mreq[19] = (byte) (ifindex >>> 24);
            Libc.check(Libc.setsockopt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_JOIN_GROUP, mreq),
                    "IPV6_JOIN_GROUP " + spec.group().getHostAddress() + " on " + spec.interfaceName());
        }
        Libc.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
        Libc.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
    }

    @Override
    public void send(byte[] payload, int offset, int length, InetAddress destination) throws IOException {
        checkPayload(payload, offset, length, MAX_PAYLOAD);
        if (!(destination instanceof Inet6Address)) {
            throw new IOException("destination " + destination.getHostAddress() + " is not IPv6");
        }
        Inet6Address dst = (Inet6Address) destination;
        synchronized (sendLock) {
            requireOpen();
            sendMsg.writeData(payload, offset, length);
            if (dst != sendNameHolds) {
                Sockaddr.putIn6(sendMsg.name(), 0, dst, Sockaddr.scopeFor(dst, ifindex));
                sendNameHolds = dst;
            }
            sendMsg.lengths(Linux.SIZEOF_SOCKADDR_IN6, length, MessageHeader.cmsgSpace(IN6_PKTINFO));
            long n = Libc.sendmsg(fd, sendMsg, 0);
            if (n < 0) {
                throw Libc.failure("sendmsg to " + dst.getHostAddress() + " on " + spec.interfaceName());
            }
        }
    }

    @Override
    long receiveOne() throws IOException {
        receiveMsg.reset();
        return readResult(Libc.recvmsg(fd, receiveMsg, Libc.MSG_DONTWAIT), "recvmsg");
    }

    @Override
    long stampRealtime() {
        return receiveMsg.timestampNanos();
    }

    @Override
    void deliver(int length, long receivedNanos) {
        if ((receiveMsg.flags() & Libc.MSG_TRUNC) != 0) {
            return;
        }
        int hopAt = receiveMsg.controlData(Linux.IPPROTO_IPV6, Linux.IPV6_HOPLIMIT);
        int pktinfoAt = receiveMsg.controlData(Linux.IPPROTO_IPV6, Linux.IPV6_PKTINFO);
        if (hopAt < 0 || pktinfoAt < 0) {
            return;
        }
        int hopLimit = receiveMsg.control().getInt(hopAt);
        receiveMsg.control().get(pktinfoAt, destination, 0, 16);
        receiveMsg.name().get(8, sourceAddress, 0, 16);
        byte[] data = frame;
        receiveMsg.readData(data, length);
        view.wrap(spec.interfaceName(), spec.protocol(), hopLimit, data, 0, 0, 0, length, receivedNanos)
                .addresses(sourceAddress, 0, destination, 0, 16);
        offer();
    }
}
