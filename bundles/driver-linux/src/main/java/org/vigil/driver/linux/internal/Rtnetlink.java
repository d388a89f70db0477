package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.vigil.netlink.NetlinkSocket;

/**
 * A NETLINK_ROUTE socket: link and address dumps, and (when bound to groups) link and address
 * events, on the native bundle's {@link NetlinkSocket}, which matches answers to requests. Every
 * netlink field is in host byte order (shared/reference/native.md section 9). Not thread-safe:
 * one user at a time.
 */
final class Rtnetlink implements AutoCloseable {

    /** One interface as RTM_NEWLINK describes it. */
    record Link(int index, String name, int flags, byte[] mac) {
        /** keepalived's notion of a usable link: administratively up and running (carrier). */
        boolean up() {
            return (flags & Linux.IFF_UP) != 0 && (flags & Linux.IFF_RUNNING) != 0;
        }
    }

    /** One address as RTM_NEWADDR describes it. */
    record Address(int family, int prefixLength, int flags, int scope, int index, InetAddress address) {
        boolean secondary() {
            return (flags & Linux.IFA_F_SECONDARY) != 0;
        }
    }

    /** A parsed message of a datagram: type and the link or address it carries, if any. */
    record Message(int type, int sequence, Link link, Address address, int error) {
    }

    private final NetlinkSocket socket;

    private Rtnetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /**
     * Opens the socket on the caller's thread, hence in the caller's network namespace.
     *
     * @param groups RTMGRP_* bitmask to subscribe to, 0 for queries only
     */
    static Rtnetlink open(int groups) throws IOException {
        return new Rtnetlink(NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, groups));
    }

    int fd() {
        return socket.fd();
    }

    List<Link> dumpLinks() throws IOException {
        List<Link> links = new ArrayList<>();
        for (Message m : dump(Linux.RTM_GETLINK, Linux.SIZEOF_IFINFOMSG)) {
            if (m.link() != null) {
                links.add(m.link());
            }
        }
        return links;
    }

    List<Address> dumpAddresses() throws IOException {
        List<Address> addresses = new ArrayList<>();
        for (Message m : dump(Linux.RTM_GETADDR, Linux.SIZEOF_IFADDRMSG)) {
            if (m.address() != null) {
                addresses.add(m.address());
            }
        }
        return addresses;
    }

    /** Sends a dump request (family AF_UNSPEC) and parses the answer up to NLMSG_DONE. */
    private List<Message> dump(int type, int bodyLength) throws IOException {
        int seq = socket.nextSequence();
        int length = NetlinkSocket.NLMSG_HDRLEN + bodyLength;
        byte[] request = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder()).putInt(length)
                .putShort((short) type).putShort((short) (NetlinkSocket.NLM_F_REQUEST | NetlinkSocket.NLM_F_DUMP))
                .putInt(seq).array();
        List<Message> result = new ArrayList<>();
        for (ByteBuffer answer : socket.request(request, seq)) {
            result.addAll(parse(answer));
        }
        return result;
    }

    /**
     * The next datagram of events if one is waiting, else null.
     *
     * @throws org.vigil.libc.LibcException with ENOBUFS when the kernel dropped events for us
     */
    ByteBuffer receiveNow() throws IOException {
        return socket.receiveNow();
    }

    /** Splits a datagram into messages (nlmsghdr, then ifinfomsg or ifaddrmsg and rtattrs). */
    static List<Message> parse(ByteBuffer datagram) {
        ByteBuffer b = datagram.slice().order(ByteOrder.nativeOrder());
        List<Message> messages = new ArrayList<>();
        int off = 0;
        while (off + NetlinkSocket.NLMSG_HDRLEN <= b.limit()) {
            int len = b.getInt(off);
            int type = b.getShort(off + 4) & 0xffff;
            int seq = b.getInt(off + 8);
            if (len < NetlinkSocket.NLMSG_HDRLEN || off + len > b.limit()) {
                break;
            }
            int body = off + NetlinkSocket.NLMSG_HDRLEN;
            int end = off + len;
            Link link = null;
            Address address = null;
            int error = 0;
            if ((type == Linux.RTM_NEWLINK || type == Linux.RTM_DELLINK) && body + Linux.SIZEOF_IFINFOMSG <= end) {
                link = parseLink(b, body, end);
            } else if ((type == Linux.RTM_NEWADDR || type == Linux.RTM_DELADDR)
                    && body + Linux.SIZEOF_IFADDRMSG <= end) {
                address = parseAddress(b, body, end);
            } else if (type == NetlinkSocket.NLMSG_ERROR && body + 4 <= end) {
                error = b.getInt(body);
            }
            messages.add(new Message(type, seq, link, address, error));
            off += NetlinkSocket.align(len);
        }
        return messages;
    }

    private static Link parseLink(ByteBuffer b, int body, int end) {
        int index = b.getInt(body + 4);
        int flags = b.getInt(body + 8);
        String name = null;
        byte[] mac = new byte[0];
        for (int a = body + Linux.SIZEOF_IFINFOMSG; a + 4 <= end;) {
            int alen = b.getShort(a) & 0xffff;
            int atype = b.getShort(a + 2) & 0x3fff;
            if (alen < 4 || a + alen > end) {
                break;
            }
            if (atype == Linux.IFLA_IFNAME) {
                int n = 0;
                while (n < alen - 4 && b.get(a + 4 + n) != 0) {
                    n++;
                }
                byte[] raw = new byte[n];
                b.get(a + 4, raw);
                name = new String(raw, StandardCharsets.US_ASCII);
            } else if (atype == Linux.IFLA_ADDRESS) {
                mac = new byte[alen - 4];
                b.get(a + 4, mac);
            }
            a += NetlinkSocket.align(alen);
        }
        return new Link(index, name, flags, mac);
    }

    private static Address parseAddress(ByteBuffer b, int body, int end) {
        int family = b.get(body) & 0xff;
        int prefix = b.get(body + 1) & 0xff;
        int flags = b.get(body + 2) & 0xff;
        int scope = b.get(body + 3) & 0xff;
        int index = b.getInt(body + 4);
        byte[] local = null;
        byte[] address = null;
        for (int a = body + Linux.SIZEOF_IFADDRMSG; a + 4 <= end;) {
            int alen = b.getShort(a) & 0xffff;
            int atype = b.getShort(a + 2) & 0x3fff;
            if (alen < 4 || a + alen > end) {
                break;
            }
            if (atype == Linux.IFA_LOCAL || atype == Linux.IFA_ADDRESS) {
                byte[] raw = new byte[alen - 4];
                b.get(a + 4, raw);
                if (atype == Linux.IFA_LOCAL) {
                    local = raw;
                } else {
                    address = raw;
                }
            } else if (atype == Linux.IFA_FLAGS && alen >= 8) {
                flags = b.getInt(a + 4);
            }
            a += NetlinkSocket.align(alen);
        }
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer's on point-to-point links
        byte[] own = local != null ? local : address;
        if (own == null || (own.length != 4 && own.length != 16)) {
            return null;
        }
        return new Address(family, prefix, flags, scope, index, Sockaddr.address(own));
    }

    @Override
    public void close() {
        socket.close();
    }
}
