package org.vigil.vip.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualRoute;

/**
 * Builds the rtnetlink requests that add and remove addresses and routes, as plain bytes (every
 * netlink field in host byte order, addresses in network order; shared/reference/native.md
 * sections 3, 4 and 9). Numbers from the kernel's uapi headers linux/netlink.h,
 * linux/rtnetlink.h and linux/if_addr.h.
 */
final class Rtnl {
    private Rtnl() {
    }

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    // message types (linux/rtnetlink.h)
    static final int NLMSG_ERROR = 2;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;

    // nlmsghdr flags (linux/netlink.h)
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    // address attributes and flags (linux/if_addr.h)
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_BROADCAST = 4;
    static final int IFA_CACHEINFO = 6;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_NODAD = 0x02;
    /** INFINITY_LIFE_TIME: a valid or preferred lifetime that never runs out. */
    static final long INFINITY_LIFE_TIME = 0xFFFF_FFFFL;

    // route attributes and values (linux/rtnetlink.h)
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_PREFSRC = 7;
    static final int RTA_TABLE = 15;
    static final int RTN_UNSPEC = 0;
    static final int RTN_UNICAST = 1;
    static final int RTN_BLACKHOLE = 6;
    /** The protocol keepalived marks its routes with ("proto keepalived" in ip route). */
    static final int RTPROT_KEEPALIVED = 18;
    static final int RT_TABLE_UNSPEC = 0;

    // scopes (linux/rtnetlink.h enum rt_scope_t)
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_SITE = 200;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_HOST = 254;
    static final int RT_SCOPE_NOWHERE = 255;

    static final int NLMSGHDR = 16;
    static final int IFADDRMSG = 8;
    static final int RTMSG = 12;
    static final int NLMSGERR_ERROR_OFFSET = NLMSGHDR;

    /** RTM_NEWADDR: ip addr add ADDRESS/PREFIX [brd B] [label L] [scope S] dev IFINDEX [nodad] [preferred_lft N]. */
    static byte[] addAddress(VirtualAddress a, int ifindex, int sequence) {
        return address(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, a, ifindex, sequence);
    }

    /**
     * RTM_DELADDR, matched by address and prefix length only: no label, so that an address left by
     * a predecessor with another label still goes.
     */
    static byte[] deleteAddress(VirtualAddress a, int ifindex, int sequence) {
        return address(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, a, ifindex, sequence);
    }

    private static byte[] address(int type, int flags, VirtualAddress a, int ifindex, int sequence) {
        boolean add = type == RTM_NEWADDR;
        boolean v4 = a.address() instanceof Inet4Address;
        byte[] raw = a.address().getAddress();
        ByteBuffer b = buffer();
        header(b, type, flags, sequence);
        int ifaFlags = !v4 && a.noDad() && add ? IFA_F_NODAD : 0;
        b.put((byte) (v4 ? AF_INET : AF_INET6)).put((byte) a.prefixLength()).put((byte) ifaFlags)
                .put((byte) (add ? scope(a.scope(), RT_SCOPE_UNIVERSE) : RT_SCOPE_UNIVERSE)).putInt(ifindex);
        attribute(b, IFA_LOCAL, raw);
        attribute(b, IFA_ADDRESS, raw);
        if (add && v4) {
            byte[] broadcast = broadcast(a);
            if (broadcast != null) {
                attribute(b, IFA_BROADCAST, broadcast);
            }
            if (a.label() != null) {
                byte[] label = a.label().getBytes(StandardCharsets.US_ASCII);
                byte[] z = new byte[label.length + 1];
                System.arraycopy(label, 0, z, 0, label.length);
                attribute(b, IFA_LABEL, z);
            }
        }
        if (add && !v4) {
            if (ifaFlags != 0) {
                attribute(b, IFA_FLAGS, intBytes(ifaFlags));
            }
            long preferred = a.effectivePreferredLifetime();
            if (preferred != INFINITY_LIFE_TIME) {
                // struct ifa_cacheinfo: preferred, valid, cstamp, tstamp (u32 each)
                ByteBuffer ci = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
                ci.putInt((int) preferred).putInt((int) INFINITY_LIFE_TIME).putInt(0).putInt(0);
                attribute(b, IFA_CACHEINFO, ci.array());
            }
        }
        return finish(b);
    }

    /**
     * The broadcast address as ip computes it: "+" sets the host bits, "-" clears them, a literal
     * is taken as is; none for no brd or a /31 or /32 with "+" or "-".
     */
    static byte[] broadcast(VirtualAddress a) {
        String brd = a.broadcast();
        if (brd == null || !(a.address() instanceof Inet4Address)) {
            return null;
        }
        if (!brd.equals("+") && !brd.equals("-")) {
            InetAddress literal = literal(brd);
            if (!(literal instanceof Inet4Address)) {
                throw new IllegalArgumentException("broadcast " + brd + " is not IPv4");
            }
            return literal.getAddress();
        }
        if (a.prefixLength() >= 31) {
            return null;
        }
        int address = ByteBuffer.wrap(a.address().getAddress()).getInt();
        int mask = a.prefixLength() == 0 ? 0 : -1 << (32 - a.prefixLength());
        int value = brd.equals("+") ? address | ~mask : address & mask;
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    /** RTM_NEWROUTE: ip route add [blackhole] DST/LEN [via GW] [dev IFINDEX] [src S] [table T] [scope S] [metric M]. */
    static byte[] addRoute(VirtualRoute r, int ifindex, int sequence) {
        return route(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, r, ifindex, sequence);
    }

    /** RTM_DELROUTE, matched as ip route del matches: any scope and protocol unless given. */
    static byte[] deleteRoute(VirtualRoute r, int ifindex, int sequence) {
        return route(RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, r, ifindex, sequence);
    }

    private static byte[] route(int type, int flags, VirtualRoute r, int ifindex, int sequence) {
        boolean add = type == RTM_NEWROUTE;
        boolean v4 = r.destination() instanceof Inet4Address;
        ByteBuffer b = buffer();
        header(b, type, flags, sequence);
        int scope;
        if (r.scope() != null) {
            scope = scope(r.scope(), RT_SCOPE_UNIVERSE);
        } else if (!add) {
            scope = RT_SCOPE_NOWHERE;
        } else {
            // as ip route: a route without gateway on a device is on link
            scope = r.gateway() == null && !r.blackhole() && ifindex > 0 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        }
        int routeType = r.blackhole() ? RTN_BLACKHOLE : add ? RTN_UNICAST : RTN_UNSPEC;
        // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags (u32)
        b.put((byte) (v4 ? AF_INET : AF_INET6)).put((byte) r.prefixLength()).put((byte) 0).put((byte) 0)
                .put((byte) (r.table() < 256 ? r.table() : RT_TABLE_UNSPEC)).put((byte) (add ? RTPROT_KEEPALIVED : 0))
                .put((byte) scope).put((byte) routeType).putInt(0);
        attribute(b, RTA_TABLE, intBytes(r.table()));
        if (r.prefixLength() > 0) {
            attribute(b, RTA_DST, r.destination().getAddress());
        }
        if (r.gateway() != null) {
            attribute(b, RTA_GATEWAY, r.gateway().getAddress());
        }
        if (ifindex > 0 && !r.blackhole()) {
            attribute(b, RTA_OIF, intBytes(ifindex));
        }
        if (r.source() != null) {
            attribute(b, RTA_PREFSRC, r.source().getAddress());
        }
        if (r.metric() != 0) {
            attribute(b, RTA_PRIORITY, intBytes(r.metric()));
        }
        return finish(b);
    }

    /** The kernel's scope number for keepalived's names; a number is taken as is. */
    static int scope(String name, int dflt) {
        if (name == null) {
            return dflt;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "global", "universe" -> RT_SCOPE_UNIVERSE;
            case "site" -> RT_SCOPE_SITE;
            case "link" -> RT_SCOPE_LINK;
            case "host" -> RT_SCOPE_HOST;
            case "nowhere" -> RT_SCOPE_NOWHERE;
            default -> Integer.parseInt(name);
        };
    }

    /**
     * The error of the NLMSG_ERROR answer to {@code sequence} in a received datagram: 0 for an
     * ACK, -errno for a failure; null when the datagram holds no answer to it.
     */
    static Integer ackError(ByteBuffer datagram, int sequence) {
        ByteBuffer b = datagram.slice().order(ByteOrder.nativeOrder());
        int off = 0;
        while (off + NLMSGHDR <= b.limit()) {
            int len = b.getInt(off);
            if (len < NLMSGHDR || off + len > b.limit()) {
                return null;
            }
            int type = b.getShort(off + 4) & 0xffff;
            int seq = b.getInt(off + 8);
            if (type == NLMSG_ERROR && seq == sequence && len >= NLMSGHDR + 4) {
                return b.getInt(off + NLMSGERR_ERROR_OFFSET);
            }
            off += align4(len);
        }
        return null;
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
    }

    private static void header(ByteBuffer b, int type, int flags, int sequence) {
        b.putInt(0).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(0);
    }

    private static void attribute(ByteBuffer b, int type, byte[] data) {
        b.putShort((short) (4 + data.length)).putShort((short) type).put(data);
        for (int pad = align4(data.length) - data.length; pad > 0; pad--) {
            b.put((byte) 0);
        }
    }

    private static byte[] finish(ByteBuffer b) {
        int length = b.position();
        b.putInt(0, length);
        byte[] out = new byte[length];
        b.get(0, out);
        return out;
    }

    private static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static InetAddress literal(String text) {
        if (!text.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }
}
