package org.vigil.lb.ipvs.internal;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The IPVS generic netlink commands as bytes, from the kernel's UAPI header linux/ip_vs.h:
 * a service is the nested attribute IPVS_CMD_ATTR_SERVICE (address family, then either the
 * firewall mark or protocol, address and port; with the full entry also scheduler, flags,
 * persistence timeout and netmask), a destination IPVS_CMD_ATTR_DEST (address, port, family;
 * with the full entry forwarding method, weight and thresholds). Addresses are union
 * nf_inet_addr (16 bytes, an IPv4 address in the first 4); ports are __be16; the IPv4 netmask is
 * a __be32 mask and the IPv6 one a prefix length (as ipvsadm sends them).
 */
final class IpvsMessages {
    private IpvsMessages() {
    }

    static final String FAMILY = "IPVS";
    static final int VERSION = 1; // IPVS_GENL_VERSION

    // commands
    static final int CMD_NEW_SERVICE = 1;
    static final int CMD_SET_SERVICE = 2;
    static final int CMD_DEL_SERVICE = 3;
    static final int CMD_NEW_DEST = 5;
    static final int CMD_SET_DEST = 6;
    static final int CMD_DEL_DEST = 7;

    // first-level attributes
    static final int CMD_ATTR_SERVICE = 1;
    static final int CMD_ATTR_DEST = 2;

    // service attributes
    static final int SVC_ATTR_AF = 1;
    static final int SVC_ATTR_PROTOCOL = 2;
    static final int SVC_ATTR_ADDR = 3;
    static final int SVC_ATTR_PORT = 4;
    static final int SVC_ATTR_FWMARK = 5;
    static final int SVC_ATTR_SCHED_NAME = 6;
    static final int SVC_ATTR_FLAGS = 7;
    static final int SVC_ATTR_TIMEOUT = 8;
    static final int SVC_ATTR_NETMASK = 9;

    // destination attributes
    static final int DEST_ATTR_ADDR = 1;
    static final int DEST_ATTR_PORT = 2;
    static final int DEST_ATTR_FWD_METHOD = 3;
    static final int DEST_ATTR_WEIGHT = 4;
    static final int DEST_ATTR_U_THRESH = 5;
    static final int DEST_ATTR_L_THRESH = 6;
    static final int DEST_ATTR_ADDR_FAMILY = 11;
    static final int DEST_ATTR_TUN_TYPE = 13;
    static final int DEST_ATTR_TUN_PORT = 14;
    static final int DEST_ATTR_TUN_FLAGS = 15;

    // service flags
    static final int SVC_F_PERSISTENT = 0x1;
    static final int SVC_F_HASHED = 0x2;
    static final int SVC_F_ONEPACKET = 0x4;
    static final int SVC_F_SCHED1 = 0x8;
    static final int SVC_F_SCHED2 = 0x10;
    static final int SVC_F_SCHED3 = 0x20;

    // forwarding methods (IP_VS_CONN_F_*)
    static final int FWD_MASQ = 0;
    static final int FWD_TUNNEL = 2;
    static final int FWD_DROUTE = 3;

    // tunnel types and flags
    static final int TUN_IPIP = 0;
    static final int TUN_GUE = 1;
    static final int TUN_GRE = 2;
    static final int TUN_F_CSUM = 1;
    static final int TUN_F_REMCSUM = 2;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_SCTP = 132;

    /**
     * A virtual service as IPVS holds it.
     *
     * @param af        AF_INET or AF_INET6
     * @param protocol  IPPROTO_* (unused with a fwmark: the kernel keys those by mark alone)
     * @param address   null with a fwmark
     * @param netmask   persistence granularity: an IPv4 mask (0xffffff00), or an IPv6 prefix length
     */
    record Service(int af, int protocol, InetAddress address, int port, long fwmark, String scheduler, int flags,
            long timeout, int netmask) {

        /** Whether the kernel needs SET_SERVICE to go from {@code other} to this (same key). */
        boolean sameSettings(Service other) {
            return scheduler.equals(other.scheduler) && flags == other.flags && timeout == other.timeout
                    && netmask == other.netmask;
        }
    }

    /**
     * A destination (real server) of a service.
     *
     * @param forward  FWD_MASQ, FWD_DROUTE or FWD_TUNNEL
     * @param tunnel   whether to send tunType/tunPort/tunFlags (TUN only; kernels before 5.2 lack them)
     */
    record Dest(InetAddress address, int port, int forward, int weight, long upperThreshold, long lowerThreshold,
            boolean tunnel, int tunType, int tunPort, int tunFlags) {

        /** Whether SET_DEST is needed to go from {@code other} to this (same address and port). */
        boolean sameSettings(Dest other) {
            return forward == other.forward && weight == other.weight && upperThreshold == other.upperThreshold
                    && lowerThreshold == other.lowerThreshold && tunnel == other.tunnel && tunType == other.tunType
                    && tunPort == other.tunPort && tunFlags == other.tunFlags;
        }
    }

    /** One IPVS command: a service command (dest null) or a destination command of that service. */
    record Command(int cmd, Service service, Dest dest) {
        byte[] bytes(int family, int sequence) {
            return IpvsMessages.bytes(family, sequence, this);
        }

        String text() {
            String s = service.fwmark() != 0 ? "FWM " + service.fwmark()
                    : "[" + service.address().getHostAddress() + "]:" + service.port();
            String name = switch (cmd) {
                case CMD_NEW_SERVICE -> "NEW_SERVICE";
                case CMD_SET_SERVICE -> "SET_SERVICE";
                case CMD_DEL_SERVICE -> "DEL_SERVICE";
                case CMD_NEW_DEST -> "NEW_DEST";
                case CMD_SET_DEST -> "SET_DEST";
                case CMD_DEL_DEST -> "DEL_DEST";
                default -> "CMD " + cmd;
            };
            return dest == null ? name + " " + s
                    : name + " " + s + " [" + dest.address().getHostAddress() + "]:" + dest.port();
        }
    }

    static byte[] bytes(int family, int sequence, Command c) {
        Genl.Message m = new Genl.Message(family, Genl.NLM_F_REQUEST | Genl.NLM_F_ACK, sequence, c.cmd(), VERSION);
        boolean fullService = c.cmd() == CMD_NEW_SERVICE || c.cmd() == CMD_SET_SERVICE;
        service(m, c.service(), fullService);
        if (c.dest() != null) {
            dest(m, c.dest(), c.cmd() != CMD_DEL_DEST);
        }
        return m.bytes();
    }

    private static void service(Genl.Message m, Service s, boolean full) {
        m.nest(CMD_ATTR_SERVICE);
        m.u16(SVC_ATTR_AF, s.af());
        if (s.fwmark() != 0) {
            m.u32(SVC_ATTR_FWMARK, s.fwmark());
        } else {
            m.u16(SVC_ATTR_PROTOCOL, s.protocol());
            m.attr(SVC_ATTR_ADDR, inetAddr(s.address()));
            m.be16(SVC_ATTR_PORT, s.port());
        }
        if (full) {
            m.string(SVC_ATTR_SCHED_NAME, s.scheduler());
            // struct ip_vs_flags {flags, mask}: the mask says which bits to take, here all of them
            m.attr(SVC_ATTR_FLAGS, Genl.u32s(s.flags(), 0xffff_ffffL));
            m.u32(SVC_ATTR_TIMEOUT, s.timeout());
            if (s.af() == AF_INET) {
                int n = s.netmask();
                m.attr(SVC_ATTR_NETMASK, new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
            } else {
                m.u32(SVC_ATTR_NETMASK, s.netmask());
            }
        }
        m.end();
    }

    private static void dest(Genl.Message m, Dest d, boolean full) {
        m.nest(CMD_ATTR_DEST);
        m.attr(DEST_ATTR_ADDR, inetAddr(d.address()));
        m.be16(DEST_ATTR_PORT, d.port());
        m.u16(DEST_ATTR_ADDR_FAMILY, d.address() instanceof Inet6Address ? AF_INET6 : AF_INET);
        if (full) {
            m.u32(DEST_ATTR_FWD_METHOD, d.forward());
            m.u32(DEST_ATTR_WEIGHT, d.weight());
            m.u32(DEST_ATTR_U_THRESH, d.upperThreshold());
            m.u32(DEST_ATTR_L_THRESH, d.lowerThreshold());
            if (d.tunnel()) {
                m.u8(DEST_ATTR_TUN_TYPE, d.tunType());
                m.be16(DEST_ATTR_TUN_PORT, d.tunPort());
                m.u16(DEST_ATTR_TUN_FLAGS, d.tunFlags());
            }
        }
        m.end();
    }

    /** union nf_inet_addr: 16 bytes, an IPv4 address in the first 4 and zeros after. */
    static byte[] inetAddr(InetAddress a) {
        byte[] out = new byte[16];
        byte[] raw = a.getAddress();
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }
}
