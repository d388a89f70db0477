package org.vigil.driver.linux.internal;

/**
 * The driver's own Linux ABI numbers (x86_64 and aarch64 agree on all of these), from the
 * kernel's uapi headers; verified in shared/reference/native.md sections 3 and 4. The socket,
 * poll and errno numbers are the native bundle's ({@link org.vigil.libc.Libc}), the netlink
 * header's its {@link org.vigil.netlink.NetlinkSocket}'s.
 */
final class Linux {
    private Linux() {
    }

    // levels
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_IPV6 = 41;

    // IPPROTO_IP options (linux/in.h)
    static final int IP_TOS = 1;
    static final int IP_TTL = 2;
    static final int IP_HDRINCL = 3;
    static final int IP_PKTINFO = 8;
    static final int IP_MTU_DISCOVER = 10;
    static final int IP_PMTUDISC_DONT = 0;
    static final int IP_MULTICAST_IF = 32;
    static final int IP_MULTICAST_TTL = 33;
    static final int IP_MULTICAST_LOOP = 34;
    static final int IP_ADD_MEMBERSHIP = 35;

    // IPPROTO_IPV6 options (linux/in6.h)
    static final int IPV6_CHECKSUM = 7;
    static final int IPV6_UNICAST_HOPS = 16;
    static final int IPV6_MULTICAST_IF = 17;
    static final int IPV6_MULTICAST_HOPS = 18;
    static final int IPV6_MULTICAST_LOOP = 19;
    static final int IPV6_JOIN_GROUP = 20;
    static final int IPV6_RECVPKTINFO = 49;
    static final int IPV6_PKTINFO = 50;
    static final int IPV6_RECVHOPLIMIT = 51;
    static final int IPV6_HOPLIMIT = 52;

    // rtnetlink (linux/rtnetlink.h, linux/netlink.h, linux/if_link.h, linux/if_addr.h)
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTMGRP_LINK = 0x1;
    static final int RTMGRP_IPV4_IFADDR = 0x10;
    static final int RTMGRP_IPV6_IFADDR = 0x100;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_SECONDARY = 0x01;
    static final int IFF_UP = 0x1;
    static final int IFF_RUNNING = 0x40;
    static final int RT_SCOPE_LINK = 253;

    // struct sizes (x86_64 / aarch64)
    static final int SIZEOF_SOCKADDR_IN = 16;
    static final int SIZEOF_SOCKADDR_IN6 = 28;
    static final int SIZEOF_SOCKADDR_LL = 20;
    static final int SIZEOF_IFINFOMSG = 16;
    static final int SIZEOF_IFADDRMSG = 8;
}
