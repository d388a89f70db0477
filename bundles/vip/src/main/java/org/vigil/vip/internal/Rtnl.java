package org.vigil.vip.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.netlink.NetlinkSocket;

/**
 * Builds the rtnetlink requests that add and remove addresses, routes and rules, as plain bytes (every
 * netlink field in host byte order, addresses in network order; shared/reference/native.md
 * sections 3, 4 and 9). Numbers from the kernel's uapi headers linux/netlink.h,
 * linux/rtnetlink.h, linux/if_addr.h and linux/fib_rules.h.
 */
final class Rtnl {
    private Rtnl() {
    }

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    // message types (linux/rtnetlink.h)
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_NEWRULE = 32;
    static final int RTM_DELRULE = 33;

    // nlmsghdr flags (linux/netlink.h)
    static final int NLM_F_REQUEST = NetlinkSocket.NLM_F_REQUEST;
    static final int NLM_F_ACK = NetlinkSocket.NLM_F_ACK;
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
    static final int RTN_UNREACHABLE = 7;
    static final int RTN_PROHIBIT = 8;
    static final int RTN_THROW = 9;
    /** rtm_flags: the next hop is on link (linux/rtnetlink.h RTNH_F_ONLINK). */
    static final int RTNH_F_ONLINK = 4;
    /** The protocol keepalived marks its routes with ("proto keepalived" in ip route). */
    static final int RTPROT_KEEPALIVED = VirtualRoute.PROTOCOL_KEEPALIVED;
    static final int RT_TABLE_UNSPEC = 0;

    // scopes (linux/rtnetlink.h enum rt_scope_t)
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_SITE = 200;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_HOST = 254;
    static final int RT_SCOPE_NOWHERE = 255;

    // rule attributes, actions and flags (linux/fib_rules.h)
    static final int FRA_DST = 1;
    static final int FRA_SRC = 2;
    static final int FRA_IIFNAME = 3;
    static final int FRA_GOTO = 4;
    static final int FRA_PRIORITY = 6;
    static final int FRA_FWMARK = 10;
    static final int FRA_FLOW = 11;
    static final int FRA_SUPPRESS_IFGROUP = 13;
    static final int FRA_SUPPRESS_PREFIXLEN = 14;
    static final int FRA_TABLE = 15;
    static final int FRA_FWMASK = 16;
    static final int FRA_OIFNAME = 17;
    static final int FRA_L3MDEV = 19;
    static final int FRA_UID_RANGE = 20;
    static final int FRA_PROTOCOL = 21;
    static final int FRA_IP_PROTO = 22;
    static final int FRA_SPORT_RANGE = 23;
    static final int FRA_DPORT_RANGE = 24;
    static final int FR_ACT_TO_TBL = 1;
    static final int FR_ACT_GOTO = 2;
    static final int FR_ACT_NOP = 3;
    static final int FR_ACT_BLACKHOLE = 6;
    static final int FR_ACT_UNREACHABLE = 7;
    static final int FR_ACT_PROHIBIT = 8;
    static final int FIB_RULE_INVERT = 0x2;
    // link attributes and values (linux/if_link.h, linux/if.h)
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_LINK = 5;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_AF_SPEC = 26;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_MACVLAN_MODE = 1;
    /** macvlan mode private: keepalived's (lab.md section 3, "macvlan mode private"). */
    static final int MACVLAN_MODE_PRIVATE = 1;
    static final int IFLA_IPVLAN_MODE = 1;
    static final int IFLA_IPVLAN_FLAGS = 2;
    static final int IPVLAN_MODE_L2 = 0;
    static final int IPVLAN_F_PRIVATE = 0x01;
    static final int IPVLAN_F_VEPA = 0x02;
    /** In IFLA_AF_SPEC / AF_INET6 (linux/if_link.h): how the kernel makes the link-local address. */
    static final int IFLA_INET6_ADDR_GEN_MODE = 8;
    /** No link-local address from the MAC: RFC 5798 section 7.4 forbids deriving it from the virtual MAC. */
    static final int IN6_ADDR_GEN_MODE_NONE = 1;
    static final int IFF_UP = 0x1;
    static final int AF_UNSPEC = 0;

    static final int NLMSGHDR = NetlinkSocket.NLMSG_HDRLEN;
    static final int IFINFOMSG = 16;
    static final int IFADDRMSG = 8;
    static final int RTMSG = 12;

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
                attribute(b, IFA_LABEL, cString(a.label()));
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

    /** RTM_NEWROUTE: ip route add [blackhole|unreachable|prohibit|throw] DST/LEN [via GW] [dev IFINDEX] [src S] [table T] [scope S] [metric M]. */
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
            // keepalived 2.2.7 leaves the scope universe unless told (ip route would make a route
            // without gateway "scope link"): measured in the lab, RoutingLabIT compares the two
            scope = RT_SCOPE_UNIVERSE;
        }
        int routeType = switch (r.type()) {
            case "blackhole" -> RTN_BLACKHOLE;
            case "unreachable" -> RTN_UNREACHABLE;
            case "prohibit" -> RTN_PROHIBIT;
            case "throw" -> RTN_THROW;
            default -> add ? RTN_UNICAST : RTN_UNSPEC;
        };
        // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags (u32)
        b.put((byte) (v4 ? AF_INET : AF_INET6)).put((byte) r.prefixLength()).put((byte) 0).put((byte) 0)
                .put((byte) (r.table() < 256 ? r.table() : RT_TABLE_UNSPEC)).put((byte) (add ? r.protocol() : 0))
                .put((byte) scope).put((byte) routeType).putInt(r.onlink() ? RTNH_F_ONLINK : 0);
        attribute(b, RTA_TABLE, intBytes(r.table()));
        if (r.prefixLength() > 0) {
            attribute(b, RTA_DST, r.destination().getAddress());
        }
        if (r.gateway() != null) {
            attribute(b, RTA_GATEWAY, r.gateway().getAddress());
        }
        if (ifindex > 0 && !r.withoutNextHop()) {
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

    /**
     * RTM_NEWRULE: ip rule add [not] [from P] [to P] [iif I] [oif O] [tos T] [fwmark M/K] [pref N]
     * [table T|goto N|nop|blackhole|unreachable|prohibit] ... protocol P, as iproute2 builds it.
     */
    static byte[] addRule(VirtualRule r, int sequence) {
        return rule(RTM_NEWRULE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, r, sequence);
    }

    /** RTM_DELRULE with the same selectors: the kernel deletes the first rule that matches all of them. */
    static byte[] deleteRule(VirtualRule r, int sequence) {
        return rule(RTM_DELRULE, NLM_F_REQUEST | NLM_F_ACK, r, sequence);
    }

    private static byte[] rule(int type, int flags, VirtualRule r, int sequence) {
        ByteBuffer b = buffer();
        header(b, type, flags, sequence);
        int action = switch (r.action()) {
            case "goto" -> FR_ACT_GOTO;
            case "nop" -> FR_ACT_NOP;
            case "blackhole" -> FR_ACT_BLACKHOLE;
            case "unreachable" -> FR_ACT_UNREACHABLE;
            case "prohibit" -> FR_ACT_PROHIBIT;
            default -> FR_ACT_TO_TBL;
        };
        boolean lookup = action == FR_ACT_TO_TBL && !r.l3mdev();
        long table = lookup ? r.table() : 0;
        // struct fib_rule_hdr: family, dst_len, src_len, tos, table, res1, res2, action, flags (u32)
        b.put((byte) (r.inet6() ? AF_INET6 : AF_INET)).put((byte) (r.to() == null ? 0 : r.toLength()))
                .put((byte) (r.from() == null ? 0 : r.fromLength())).put((byte) r.tos())
                .put((byte) (table < 256 ? table : RT_TABLE_UNSPEC)).put((byte) 0).put((byte) 0).put((byte) action)
                .putInt(r.invert() ? FIB_RULE_INVERT : 0);
        if (r.from() != null) {
            attribute(b, FRA_SRC, r.from().getAddress());
        }
        if (r.to() != null) {
            attribute(b, FRA_DST, r.to().getAddress());
        }
        if (r.preference() >= 0) {
            attribute(b, FRA_PRIORITY, intBytes((int) r.preference()));
        }
        if (r.fwmark() >= 0) {
            attribute(b, FRA_FWMARK, intBytes((int) r.fwmark()));
        }
        if (r.fwmask() >= 0) {
            attribute(b, FRA_FWMASK, intBytes((int) r.fwmask()));
        }
        if (r.realms() != 0) {
            attribute(b, FRA_FLOW, intBytes((int) r.realms()));
        }
        if (table >= 256) {
            attribute(b, FRA_TABLE, intBytes((int) table));
        }
        if (r.suppressPrefixLength() >= 0) {
            attribute(b, FRA_SUPPRESS_PREFIXLEN, intBytes(r.suppressPrefixLength()));
        }
        if (r.suppressIfgroup() >= 0) {
            attribute(b, FRA_SUPPRESS_IFGROUP, intBytes(r.suppressIfgroup()));
        }
        if (r.iif() != null) {
            attribute(b, FRA_IIFNAME, cString(r.iif()));
        }
        if (r.oif() != null) {
            attribute(b, FRA_OIFNAME, cString(r.oif()));
        }
        if (r.l3mdev()) {
            attribute(b, FRA_L3MDEV, new byte[] {1});
        }
        if (r.uidRange() != null) {
            long[] range = range(r.uidRange());
            attribute(b, FRA_UID_RANGE, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                    .putInt((int) range[0]).putInt((int) range[1]).array());
        }
        if (action == FR_ACT_GOTO) {
            attribute(b, FRA_GOTO, intBytes((int) r.gotoTarget()));
        }
        attribute(b, FRA_PROTOCOL, new byte[] {(byte) r.protocol()});
        if (r.ipProto() != 0) {
            attribute(b, FRA_IP_PROTO, new byte[] {(byte) r.ipProto()});
        }
        if (r.sport() != null) {
            attribute(b, FRA_SPORT_RANGE, portRange(r.sport()));
        }
        if (r.dport() != null) {
            attribute(b, FRA_DPORT_RANGE, portRange(r.dport()));
        }
        return finish(b);
    }

    private static long[] range(String text) {
        int dash = text.indexOf('-');
        return new long[] {Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1))};
    }

    /** struct fib_rule_port_range: start and end, u16 each in host order. */
    private static byte[] portRange(String text) {
        long[] range = range(text);
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putShort((short) range[0])
                .putShort((short) range[1]).array();
    }

    private static byte[] cString(String s) {
        byte[] name = s.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[name.length + 1];
        System.arraycopy(name, 0, z, 0, name.length);
        return z;
    }

    /**
     * RTM_NEWLINK creating a macvlan (ip link add link PARENT name NAME address MAC type macvlan mode
     * private) or an ipvlan (type ipvlan mode l2 [bridge|private|vepa]); created down.
     */
    static byte[] addVirtualLink(org.vigil.api.vip.VirtualInterface vi, int parentIndex, int sequence) {
        ByteBuffer b = linkRequest(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 0, 0, 0, sequence);
        attribute(b, IFLA_IFNAME, cString(vi.name()));
        attribute(b, IFLA_LINK, intBytes(parentIndex));
        byte[] mac = vi.mac();
        if (mac != null) {
            attribute(b, IFLA_ADDRESS, mac);
        }
        int info = begin(b, IFLA_LINKINFO);
        attribute(b, IFLA_INFO_KIND, cString(vi.kind().linkKind()));
        int data = begin(b, IFLA_INFO_DATA);
        if (vi.kind() == org.vigil.api.vip.VirtualInterface.Kind.MACVLAN) {
            attribute(b, IFLA_MACVLAN_MODE, intBytes(MACVLAN_MODE_PRIVATE));
        } else {
            attribute(b, IFLA_IPVLAN_MODE, shortBytes(IPVLAN_MODE_L2));
            int flags = switch (vi.mode()) {
                case "private" -> IPVLAN_F_PRIVATE;
                case "vepa" -> IPVLAN_F_VEPA;
                default -> 0;
            };
            attribute(b, IFLA_IPVLAN_FLAGS, shortBytes(flags));
        }
        end(b, data);
        end(b, info);
        return finish(b);
    }

    /** RTM_NEWLINK on an existing link: ip link set dev INDEX addrgenmode none. */
    static byte[] addrGenModeNone(int index, int sequence) {
        ByteBuffer b = linkRequest(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, index, 0, 0, sequence);
        int spec = begin(b, IFLA_AF_SPEC);
        int inet6 = begin(b, AF_INET6);
        attribute(b, IFLA_INET6_ADDR_GEN_MODE, new byte[] { (byte) IN6_ADDR_GEN_MODE_NONE });
        end(b, inet6);
        end(b, spec);
        return finish(b);
    }

    /** RTM_NEWLINK on an existing link: ip link set dev INDEX up. */
    static byte[] linkUp(int index, int sequence) {
        ByteBuffer b = linkRequest(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, index, IFF_UP, IFF_UP, sequence);
        return finish(b);
    }

    /** RTM_NEWLINK on an existing link: ip link set dev INDEX down. */
    static byte[] linkDown(int index, int sequence) {
        ByteBuffer b = linkRequest(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, index, 0, IFF_UP, sequence);
        return finish(b);
    }

    /** RTM_DELLINK: ip link del dev INDEX. */
    static byte[] deleteLink(int index, int sequence) {
        ByteBuffer b = linkRequest(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, index, 0, 0, sequence);
        return finish(b);
    }

    /** RTM_GETLINK for one name (not a dump): answered by one RTM_NEWLINK, or ENODEV. */
    static byte[] getLink(String name, int sequence) {
        ByteBuffer b = linkRequest(RTM_GETLINK, NLM_F_REQUEST, 0, 0, 0, sequence);
        attribute(b, IFLA_IFNAME, cString(name));
        return finish(b);
    }

    /** What an RTM_NEWLINK answer says of a link: index, parent index (0: none), kind, MAC. */
    record Link(int index, String name, int parent, String kind, byte[] mac) {
    }

    /** The link in an RTM_NEWLINK answer to {@code sequence}, or null when the datagram has none. */
    static Link link(ByteBuffer datagram, int sequence) {
        ByteBuffer b = datagram.slice().order(ByteOrder.nativeOrder());
        int off = find(b, RTM_NEWLINK, sequence, IFINFOMSG);
        return off < 0 ? null : parseLink(b, off + NLMSGHDR, off + b.getInt(off));
    }

    private static Link parseLink(ByteBuffer b, int body, int end) {
        int index = b.getInt(body + 4);
        String name = null;
        int parent = 0;
        String kind = null;
        byte[] mac = null;
        for (int a = body + IFINFOMSG; a + 4 <= end;) {
            int alen = b.getShort(a) & 0xffff;
            int atype = b.getShort(a + 2) & 0x3fff;
            if (alen < 4 || a + alen > end) {
                break;
            }
            switch (atype) {
                case IFLA_IFNAME -> name = string(b, a + 4, alen - 4);
                case IFLA_LINK -> parent = alen >= 8 ? b.getInt(a + 4) : 0;
                case IFLA_ADDRESS -> {
                    mac = new byte[alen - 4];
                    b.get(a + 4, mac);
                }
                case IFLA_LINKINFO -> {
                    for (int i = a + 4; i + 4 <= a + alen;) {
                        int ilen = b.getShort(i) & 0xffff;
                        if (ilen < 4 || i + ilen > a + alen) {
                            break;
                        }
                        if ((b.getShort(i + 2) & 0x3fff) == IFLA_INFO_KIND) {
                            kind = string(b, i + 4, ilen - 4);
                        }
                        i += align4(ilen);
                    }
                }
                default -> {
                }
            }
            a += align4(alen);
        }
        return new Link(index, name, parent, kind, mac);
    }

    private static String string(ByteBuffer b, int at, int max) {
        int n = 0;
        while (n < max && b.get(at + n) != 0) {
            n++;
        }
        byte[] raw = new byte[n];
        b.get(at, raw);
        return new String(raw, StandardCharsets.US_ASCII);
    }

    /** nlmsghdr and struct ifinfomsg (family, pad, type u16, index, flags, change); attributes follow. */
    private static ByteBuffer linkRequest(int type, int nlFlags, int index, int flags, int change, int sequence) {
        ByteBuffer b = buffer();
        header(b, type, nlFlags, sequence);
        b.put((byte) AF_UNSPEC).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        return b;
    }

    /** Opens a nested attribute; {@link #end} fills in its length. */
    private static int begin(ByteBuffer b, int type) {
        int at = b.position();
        b.putShort((short) 0).putShort((short) type);
        return at;
    }

    private static void end(ByteBuffer b, int at) {
        b.putShort(at, (short) (b.position() - at));
    }

    private static byte[] shortBytes(int value) {
        return ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array();
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
     * The offset of the first message of {@code type} answering {@code sequence} with at least
     * {@code body} bytes after its header, walking a multi-message datagram; -1 when none.
     */
    private static int find(ByteBuffer b, int type, int sequence, int body) {
        int off = 0;
        while (off + NLMSGHDR <= b.limit()) {
            int len = b.getInt(off);
            if (len < NLMSGHDR || off + len > b.limit()) {
                return -1;
            }
            if ((b.getShort(off + 4) & 0xffff) == type && b.getInt(off + 8) == sequence && len >= NLMSGHDR + body) {
                return off;
            }
            off += align4(len);
        }
        return -1;
    }

    /** The message types of a datagram of events, in order. */
    static java.util.List<Integer> messageTypes(ByteBuffer datagram) {
        ByteBuffer b = datagram.slice().order(ByteOrder.nativeOrder());
        java.util.List<Integer> types = new java.util.ArrayList<>();
        int off = 0;
        while (off + NLMSGHDR <= b.limit()) {
            int len = b.getInt(off);
            if (len < NLMSGHDR || off + len > b.limit()) {
                break;
            }
            types.add(b.getShort(off + 4) & 0xffff);
            off += align4(len);
        }
        return types;
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
        return NetlinkSocket.align(n);
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
