package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jnr.ffi.Pointer;

/**
 * A NETLINK_ROUTE socket: link and address dumps, and (when bound to groups) link and address
 * events. Every netlink field is in host byte order (shared/reference/native.md section 9).
 * Not thread-safe: one user at a time.
 */
final class Rtnetlink implements AutoCloseable {

    static final int BUFFER = 64 * 1024;

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

    private final Native nat;
    private final LibC libc;
    private final Pointer buffer;
    private final byte[] bytes = new byte[BUFFER];
    private int fd;
    private int sequence = 1;

    /**
     * Opens the socket on the caller's thread, hence in the caller's network namespace.
     *
     * @param groups RTMGRP_* bitmask to subscribe to, 0 for queries only
     */
    Rtnetlink(Native nat, int groups) throws IOException {
        this.nat = nat;
        this.libc = nat.libc;
        fd = nat.check(libc.socket(Linux.AF_NETLINK, Linux.SOCK_RAW | Linux.SOCK_CLOEXEC, Linux.NETLINK_ROUTE),
                "socket(AF_NETLINK, NETLINK_ROUTE)");
        buffer = nat.allocate(BUFFER);
        try {
            Pointer nl = nat.allocate(Linux.SIZEOF_SOCKADDR_NL);
            nl.putShort(0, (short) Linux.AF_NETLINK);
            nl.putInt(8, groups);
            nat.check(libc.bind(fd, nl, Linux.SIZEOF_SOCKADDR_NL), "bind netlink groups 0x" + Integer.toHexString(groups));
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    int fd() {
        return fd;
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

    /** Sends a dump request (family AF_UNSPEC) and collects the answer up to NLMSG_DONE. */
    private List<Message> dump(int type, int bodyLength) throws IOException {
        int seq = sequence++;
        int length = Linux.SIZEOF_NLMSGHDR + bodyLength;
        buffer.setMemory(0, length, (byte) 0);
        buffer.putInt(0, length);
        buffer.putShort(4, (short) type);
        buffer.putShort(6, (short) (Linux.NLM_F_REQUEST | Linux.NLM_F_DUMP));
        buffer.putInt(8, seq);
        if (libc.send(fd, buffer, length, 0) < 0) {
            throw nat.failure("netlink dump request " + type);
        }
        List<Message> result = new ArrayList<>();
        while (true) {
            int n = receive(0);
            if (n == 0) {
                throw new IOException("netlink socket closed during dump " + type);
            }
            for (Message m : parse(ByteBuffer.wrap(bytes, 0, n))) {
                if (m.sequence() != seq) {
                    continue;
                }
                if (m.type() == Linux.NLMSG_DONE) {
                    return result;
                }
                if (m.type() == Linux.NLMSG_ERROR && m.error() != 0) {
                    throw new IOException("netlink dump " + type + ": " + libc.strerror(-m.error()));
                }
                result.add(m);
            }
        }
    }

    /**
     * Receives one datagram into {@link #bytes()}; returns its length.
     *
     * @param flags recv flags, e.g. MSG_DONTWAIT; then -1 means nothing to read
     */
    int receive(int flags) throws IOException {
        long n = libc.recv(fd, buffer, BUFFER, flags);
        if (n < 0) {
            int errno = nat.errno();
            if ((flags & Linux.MSG_DONTWAIT) != 0 && errno == Linux.EAGAIN) {
                return -1;
            }
            throw nat.failure("netlink recv");
        }
        buffer.get(0, bytes, 0, (int) n);
        return (int) n;
    }

    byte[] bytes() {
        return bytes;
    }

    /** Splits a datagram into messages (nlmsghdr, then ifinfomsg or ifaddrmsg and rtattrs). */
    static List<Message> parse(ByteBuffer datagram) {
        ByteBuffer b = datagram.slice().order(ByteOrder.nativeOrder());
        List<Message> messages = new ArrayList<>();
        int off = 0;
        while (off + Linux.SIZEOF_NLMSGHDR <= b.limit()) {
            int len = b.getInt(off);
            int type = b.getShort(off + 4) & 0xffff;
            int seq = b.getInt(off + 8);
            if (len < Linux.SIZEOF_NLMSGHDR || off + len > b.limit()) {
                break;
            }
            int body = off + Linux.SIZEOF_NLMSGHDR;
            int end = off + len;
            Link link = null;
            Address address = null;
            int error = 0;
            if ((type == Linux.RTM_NEWLINK || type == Linux.RTM_DELLINK) && body + Linux.SIZEOF_IFINFOMSG <= end) {
                link = parseLink(b, body, end);
            } else if ((type == Linux.RTM_NEWADDR || type == Linux.RTM_DELADDR)
                    && body + Linux.SIZEOF_IFADDRMSG <= end) {
                address = parseAddress(b, body, end);
            } else if (type == Linux.NLMSG_ERROR && body + 4 <= end) {
                error = b.getInt(body);
            }
            messages.add(new Message(type, seq, link, address, error));
            off += Linux.align4(len);
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
            a += Linux.align4(alen);
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
            a += Linux.align4(alen);
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
        if (fd >= 0) {
            libc.close(fd);
            fd = -1;
        }
    }
}
