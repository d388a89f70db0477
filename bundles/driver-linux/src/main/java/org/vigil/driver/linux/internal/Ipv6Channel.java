package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.function.Consumer;

import jnr.ffi.Pointer;

import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.PacketListener;

/**
 * VRRPv3 over a raw IPv6 socket. An IPv6 raw socket delivers no header, so hop limit and
 * destination come as ancillary data (IPV6_HOPLIMIT, IPV6_PKTINFO) and the source as msg_name.
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
    private static final int CONTROL = 256;
    private static final int MAX_PAYLOAD = 65535;

    // send side, guarded by sendLock
    private final Pointer sendBuffer;
    private final Pointer sendMsg;
    private final Pointer sendIov;
    private final Pointer sendName;
    /**
     * The destination {@link #sendName} holds (guarded by sendLock). Adverts go to the same group
     * or peer every time, and encoding it again would clone the address bytes on every send.
     */
    private InetAddress sendNameHolds;
    private final Pointer sendControl;
    // receive side, receive thread only
    private final Pointer receiveBuffer;
    private final Pointer receiveMsg;
    private final Pointer receiveIov;
    private final Pointer receiveName;
    private final Pointer receiveControl;
    private final byte[] sourceAddress = new byte[16];
    private final byte[] destination = new byte[16];

    Ipv6Channel(Native nat, ChannelSpec spec, PacketListener listener, int ifindex, Inet6Address source,
            Consumer<RawChannel> onClose) {
        super(nat, spec, listener, ifindex, source, onClose);
        sendBuffer = nat.allocate(65536);
        sendMsg = nat.allocate(Linux.SIZEOF_MSGHDR);
        sendIov = nat.allocate(Linux.SIZEOF_IOVEC);
        sendName = nat.allocate(Linux.SIZEOF_SOCKADDR_IN6);
        sendControl = nat.allocate(Linux.cmsgSpace(IN6_PKTINFO));
        sendMsg.putAddress(0, sendName.address());
        sendMsg.putInt(8, Linux.SIZEOF_SOCKADDR_IN6);
        sendMsg.putAddress(16, sendIov.address());
        sendMsg.putLong(24, 1);
        sendIov.putAddress(0, sendBuffer.address());
        // IPV6_PKTINFO {source address, ifindex}: the source is the link-local address (RFC 5798
        // section 5.1.2.1) without binding, which would narrow what the socket receives
        sendControl.putLong(0, Linux.cmsgLen(IN6_PKTINFO));
        sendControl.putInt(8, Linux.IPPROTO_IPV6);
        sendControl.putInt(12, Linux.IPV6_PKTINFO);
        sendControl.put(16, source.getAddress(), 0, 16);
        sendControl.putInt(32, ifindex);

        receiveBuffer = nat.allocate(RECEIVE_BUFFER);
        receiveMsg = nat.allocate(Linux.SIZEOF_MSGHDR);
        receiveIov = nat.allocate(Linux.SIZEOF_IOVEC);
        receiveName = nat.allocate(Linux.SIZEOF_SOCKADDR_IN6);
        receiveControl = nat.allocate(CONTROL);
        receiveMsg.putAddress(0, receiveName.address());
        receiveMsg.putAddress(16, receiveIov.address());
        receiveMsg.putLong(24, 1);
        receiveMsg.putAddress(32, receiveControl.address());
        receiveIov.putAddress(0, receiveBuffer.address());
        receiveIov.putLong(8, RECEIVE_BUFFER);
    }

    @Override
    void configure() throws IOException {
        if (spec.protocol() == VRRP) {
            nat.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_CHECKSUM, VRRP_CHECKSUM_OFFSET, "IPV6_CHECKSUM");
        }
        nat.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_MULTICAST_HOPS, HOP_LIMIT, "IPV6_MULTICAST_HOPS");
        nat.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_UNICAST_HOPS, HOP_LIMIT, "IPV6_UNICAST_HOPS");
        nat.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
        nat.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF");
        if (!spec.unicast()) {
            byte[] mreq = new byte[20];
            System.arraycopy(spec.group().getAddress(), 0, mreq, 0, 16);
            mreq[16] = (byte) ifindex;
            mreq[17] = (byte) (ifindex >>> 8);
            mreq[18] = (byte) (ifindex >>> 16);
            mreq[19] = (byte) (ifindex >>> 24);
            nat.check(libc.setsockopt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_JOIN_GROUP, mreq, mreq.length),
                    "IPV6_JOIN_GROUP " + spec.group().getHostAddress() + " on " + spec.interfaceName());
        }
        nat.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
        nat.setInt(fd, Linux.IPPROTO_IPV6, Linux.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
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
            sendBuffer.put(0, payload, offset, length);
            sendIov.putLong(8, length);
            if (dst != sendNameHolds) {
                Sockaddr.putIn6(sendName, 0, dst, Sockaddr.scopeFor(dst, ifindex));
                sendNameHolds = dst;
            }
            sendMsg.putAddress(32, sendControl.address());
            sendMsg.putLong(40, Linux.cmsgSpace(IN6_PKTINFO));
            sendMsg.putInt(48, 0);
            long n = libc.sendmsg(fd, sendMsg, 0);
            if (n < 0) {
                throw nat.failure("sendmsg to " + dst.getHostAddress() + " on " + spec.interfaceName());
            }
        }
    }

    @Override
    long receiveOne() throws IOException {
        receiveMsg.putInt(8, Linux.SIZEOF_SOCKADDR_IN6);
        receiveMsg.putLong(40, CONTROL);
        receiveMsg.putInt(48, 0);
        return readResult(libc.recvmsg(fd, receiveMsg, Linux.MSG_DONTWAIT), "recvmsg");
    }

    @Override
    void deliver(int length, long receivedNanos) {
        if ((receiveMsg.getInt(48) & Linux.MSG_TRUNC) != 0) {
            return;
        }
        int hopLimit = -1;
        boolean haveDestination = false;
        long controlLength = receiveMsg.getLong(40);
        long off = 0;
        while (off + Linux.SIZEOF_CMSGHDR <= controlLength) {
            long len = receiveControl.getLong(off);
            if (len < Linux.SIZEOF_CMSGHDR || off + len > controlLength) {
                break;
            }
            int level = receiveControl.getInt(off + 8);
            int type = receiveControl.getInt(off + 12);
            if (level == Linux.IPPROTO_IPV6 && type == Linux.IPV6_HOPLIMIT) {
                hopLimit = receiveControl.getInt(off + Linux.SIZEOF_CMSGHDR);
            } else if (level == Linux.IPPROTO_IPV6 && type == Linux.IPV6_PKTINFO) {
                receiveControl.get(off + Linux.SIZEOF_CMSGHDR, destination, 0, 16);
                haveDestination = true;
            }
            off += (len + 7) & ~7L;
        }
        if (hopLimit < 0 || !haveDestination) {
            return;
        }
        receiveName.get(8, sourceAddress, 0, 16);
        byte[] data = frame;
        receiveBuffer.get(0, data, 0, length);
        view.wrap(spec.interfaceName(), spec.protocol(), hopLimit, data, 0, 0, 0, length, receivedNanos)
                .addresses(sourceAddress, 0, destination, 0, 16);
        offer();
    }
}
