package org.vigil.lb.ipvs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vigil.lb.ipvs.internal.IpvsMessages.*;
import static org.vigil.lb.ipvs.internal.Services.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.lb.ipvs.internal.IpvsMessages.Command;
import org.vigil.lb.ipvs.internal.IpvsMessages.Dest;
import org.vigil.lb.ipvs.internal.IpvsMessages.Service;

/**
 * The exact bytes of each message kind, computed by hand from the UAPI layout:
 * nlmsghdr {u32 len, u16 type, u16 flags, u32 seq, u32 pid} (host order), genlmsghdr {u8 cmd,
 * u8 version, u16 0}, then struct nlattr {u16 len (unpadded), u16 type} + data padded to 4;
 * nested attributes carry NLA_F_NESTED (0x8000). Host order is little-endian here (x86_64, the
 * appliance's platform); ports are __be16, addresses union nf_inet_addr (16 bytes).
 * The family id used is 0x23 (whatever CTRL_CMD_GETFAMILY answers on a kernel with IPVS).
 */
class IpvsMessagesTest {
    private static final int FAMILY = 0x23;

    @BeforeAll
    static void littleEndian() {
        assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "the expected bytes are written for x86_64");
    }

    /** The key of [192.0.2.249]:tcp:80 inside IPVS_CMD_ATTR_SERVICE. */
    private static final String V4_KEY = ""
            + "0600 0100 0200 0000 |" // SVC_ATTR_AF (len 6, type 1) AF_INET 2, padded to 8
            + "0600 0200 0600 0000 |" // SVC_ATTR_PROTOCOL (len 6, type 2) IPPROTO_TCP 6
            + "1400 0300 c00002f9 00000000 00000000 00000000 |" // SVC_ATTR_ADDR (len 20, type 3) 192.0.2.249 + 12 zero bytes
            + "0600 0400 0050 0000 |"; // SVC_ATTR_PORT (len 6, type 4) 80 as __be16 0x0050

    private static Service v4Service() {
        return IpvsPlan.service(vs(key("192.0.2.249", "tcp", 80), "wlc"));
    }

    @Test
    void getFamilyAsksTheControllerForIpvs() {
        String expected = ""
                + "20000000 1000 0500 04030201 00000000 |" // nlmsghdr: len 32, type GENL_ID_CTRL 0x10, REQUEST|ACK, seq 0x01020304, pid 0
                + "03 01 0000 |" // genlmsghdr: CTRL_CMD_GETFAMILY 3, version 1
                + "0900 0200 4950565300 000000"; // CTRL_ATTR_FAMILY_NAME (len 9, type 2) "IPVS\0", padded to 12
        assertEquals(Hex.clean(expected), Hex.of(Genl.getFamily("IPVS", 0x01020304)));
    }

    @Test
    void newServiceCarriesTheFullEntry() {
        String expected = ""
                + "68000000 2300 0500 01000000 00000000 |" // nlmsghdr: len 104, type 0x23, REQUEST|ACK, seq 1
                + "01 01 0000 |" // genlmsghdr: IPVS_CMD_NEW_SERVICE 1, IPVS_GENL_VERSION 1
                + "5400 0180 |" // IPVS_CMD_ATTR_SERVICE (len 84, type 1 | NLA_F_NESTED)
                + V4_KEY
                + "0800 0600 776c6300 |" // SVC_ATTR_SCHED_NAME (len 8) "wlc\0"
                + "0c00 0700 00000000 ffffffff |" // SVC_ATTR_FLAGS struct ip_vs_flags {flags 0, mask ~0}
                + "0800 0800 00000000 |" // SVC_ATTR_TIMEOUT 0 (not persistent)
                + "0800 0900 ffffffff"; // SVC_ATTR_NETMASK 255.255.255.255 (__be32)
        assertEquals(Hex.clean(expected), Hex.of(new Command(CMD_NEW_SERVICE, v4Service(), null).bytes(FAMILY, 1)));
    }

    @Test
    void delServiceCarriesTheKeyOnly() {
        String expected = ""
                + "44000000 2300 0500 02000000 00000000 |" // len 68, seq 2
                + "03 01 0000 |" // IPVS_CMD_DEL_SERVICE 3
                + "3000 0180 |" // service nest, len 48
                + V4_KEY;
        assertEquals(Hex.clean(expected), Hex.of(new Command(CMD_DEL_SERVICE, v4Service(), null).bytes(FAMILY, 2)));
    }

    @Test
    void setServiceIpv6PersistentShWithFlags() {
        Service s = IpvsPlan.service(flags(persistent(key("2001:db8::1", "tcp", 443), "sh", 600, "64"),
                "sh-port", "sh-fallback"));
        String expected = ""
                + "68000000 2300 0500 03000000 00000000 |" // len 104, seq 3
                + "02 01 0000 |" // IPVS_CMD_SET_SERVICE 2
                + "5400 0180 |" // service nest, len 84
                + "0600 0100 0a00 0000 |" // AF_INET6 10
                + "0600 0200 0600 0000 |" // TCP
                + "1400 0300 20010db8 00000000 00000000 00000001 |" // 2001:db8::1
                + "0600 0400 01bb 0000 |" // port 443 = 0x01bb, big-endian
                + "0700 0600 736800 00 |" // "sh\0", len 7, padded to 8
                + "0c00 0700 19000000 ffffffff |" // flags PERSISTENT 0x1 | SCHED1 (sh-fallback) 0x8 | SCHED2 (sh-port) 0x10
                + "0800 0800 58020000 |" // timeout 600 s (host order)
                + "0800 0900 40000000"; // IPv6 netmask: prefix length 64 as a host-order u32, as ipvsadm sends it
        assertEquals(Hex.clean(expected), Hex.of(new Command(CMD_SET_SERVICE, s, null).bytes(FAMILY, 3)));
    }

    @Test
    void fwmarkServiceIsKeyedByMarkAlone() {
        Service s = IpvsPlan.service(vs(org.vigil.api.lb.ServiceKey.fwmark(10, false, "tcp"), "rr"));
        String expected = ""
                + "4c000000 2300 0500 04000000 00000000 |" // len 76, seq 4
                + "01 01 0000 |" // NEW_SERVICE
                + "3800 0180 |" // service nest, len 56
                + "0600 0100 0200 0000 |" // AF_INET
                + "0800 0500 0a000000 |" // SVC_ATTR_FWMARK 10 (host order); no protocol, address or port
                + "0700 0600 727200 00 |" // "rr\0"
                + "0c00 0700 00000000 ffffffff |"
                + "0800 0800 00000000 |"
                + "0800 0900 ffffffff";
        assertEquals(Hex.clean(expected), Hex.of(new Command(CMD_NEW_SERVICE, s, null).bytes(FAMILY, 4)));
    }

    @Test
    void newDestNatWithWeight() {
        Dest d = IpvsPlan.dest(rs("192.0.2.21", 8080, 3));
        String expected = ""
                + "8c000000 2300 0500 05000000 00000000 |" // len 140, seq 5
                + "05 01 0000 |" // IPVS_CMD_NEW_DEST 5
                + "3000 0180 |" + V4_KEY // the service's key, nest len 48
                + "4800 0280 |" // IPVS_CMD_ATTR_DEST (len 72, type 2 | NLA_F_NESTED)
                + "1400 0100 c0000215 00000000 00000000 00000000 |" // DEST_ATTR_ADDR 192.0.2.21
                + "0600 0200 1f90 0000 |" // DEST_ATTR_PORT 8080 = 0x1f90, big-endian
                + "0600 0b00 0200 0000 |" // DEST_ATTR_ADDR_FAMILY (type 11) AF_INET
                + "0800 0300 00000000 |" // DEST_ATTR_FWD_METHOD IP_VS_CONN_F_MASQ 0 (NAT)
                + "0800 0400 03000000 |" // DEST_ATTR_WEIGHT 3
                + "0800 0500 00000000 |" // DEST_ATTR_U_THRESH 0 (no limit)
                + "0800 0600 00000000"; // DEST_ATTR_L_THRESH 0
        assertEquals(Hex.clean(expected), Hex.of(new Command(CMD_NEW_DEST, v4Service(), d).bytes(FAMILY, 5)));
    }

    @Test
    void setDestDirectRouting() {
        Dest d = IpvsPlan.dest(rs("192.0.2.22", 80, 0, "DR"));
        String expected = ""
                + "8c000000 2300 0500 06000000 00000000 |" // len 140, seq 6
                + "06 01 0000 |" // IPVS_CMD_SET_DEST 6
                + "3000 0180 |" + V4_KEY
                + "4800 0280 |"
                + "1400 0100 c0000216 00000000 00000000 00000000 |" // 192.0.2.22
                + "0600 0200 0050 0000 |" // port 80
                + "0600 0b00 0200 0000 |"
                + "0800 0300 03000000 |" // IP_VS_CONN_F_DROUTE 3
                + "0800 0400 00000000 |" // weight 0 (inhibit_on_failure)
                + "0800 0500 00000000 |"
                + "0800 0600 00000000";
        assertEquals(Hex.clean(expected), Hex.of(new Command(CMD_SET_DEST, v4Service(), d).bytes(FAMILY, 6)));
    }

    @Test
    void delDestCarriesAddressAndPortOnly() {
        Dest d = IpvsPlan.dest(rs("192.0.2.21", 8080, 3));
        String expected = ""
                + "6c000000 2300 0500 07000000 00000000 |" // len 108, seq 7
                + "07 01 0000 |" // IPVS_CMD_DEL_DEST 7
                + "3000 0180 |" + V4_KEY
                + "2800 0280 |" // dest nest, len 40
                + "1400 0100 c0000215 00000000 00000000 00000000 |"
                + "0600 0200 1f90 0000 |"
                + "0600 0b00 0200 0000";
        assertEquals(Hex.clean(expected), Hex.of(new Command(CMD_DEL_DEST, v4Service(), d).bytes(FAMILY, 7)));
    }

    @Test
    void tunnelDestWithGueAndChecksum() {
        Service s = IpvsPlan.service(vs(org.vigil.api.lb.ServiceKey.fwmark(10, false, "tcp"), "rr"));
        Dest d = IpvsPlan.dest(rs("198.51.100.7", 80, 2, "TUN type gue port 6080 csum"));
        String expected = ""
                + "88000000 2300 0500 08000000 00000000 |" // len 136, seq 8
                + "05 01 0000 |" // NEW_DEST
                + "1400 0180 |" // service nest, len 20: AF + FWMARK
                + "0600 0100 0200 0000 |"
                + "0800 0500 0a000000 |"
                + "6000 0280 |" // dest nest, len 96
                + "1400 0100 c6336407 00000000 00000000 00000000 |" // 198.51.100.7
                + "0600 0200 0050 0000 |"
                + "0600 0b00 0200 0000 |"
                + "0800 0300 02000000 |" // IP_VS_CONN_F_TUNNEL 2
                + "0800 0400 02000000 |" // weight 2
                + "0800 0500 00000000 |"
                + "0800 0600 00000000 |"
                + "0500 0d00 01 000000 |" // DEST_ATTR_TUN_TYPE (type 13, u8) GUE 1, len 5, padded to 8
                + "0600 0e00 17c0 0000 |" // DEST_ATTR_TUN_PORT (type 14) 6080 = 0x17c0, big-endian
                + "0600 0f00 0100 0000"; // DEST_ATTR_TUN_FLAGS (type 15, u16) CSUM 1
        assertEquals(Hex.clean(expected), Hex.of(new Command(CMD_NEW_DEST, s, d).bytes(FAMILY, 8)));
    }

    @Test
    void ipv6DestinationAddressFillsTheUnion() {
        Dest d = IpvsPlan.dest(rs("2001:db8::21", 80, 1));
        Service s = IpvsPlan.service(vs(key("2001:db8::1", "udp", 53), "rr"));
        byte[] b = new Command(CMD_DEL_DEST, s, d).bytes(FAMILY, 9);
        String hex = Hex.of(b);
        // the service's protocol is IPPROTO_UDP 17 = 0x11, port 53 = 0x0035
        org.junit.jupiter.api.Assertions.assertTrue(hex.contains(Hex.clean("0600 0200 1100 0000")), hex);
        org.junit.jupiter.api.Assertions.assertTrue(hex.contains(Hex.clean("0600 0400 0035 0000")), hex);
        // the destination: 2001:db8::21 in 16 bytes, family AF_INET6 10
        org.junit.jupiter.api.Assertions.assertTrue(hex.endsWith(Hex.clean(
                "1400 0100 20010db8 00000000 00000000 00000021 | 0600 0200 0050 0000 | 0600 0b00 0a00 0000")), hex);
    }

    @Test
    void familyIdIsReadFromTheControllersAnswer() {
        // CTRL_CMD_NEWFAMILY: nlmsghdr, genlmsghdr {1, 2}, CTRL_ATTR_FAMILY_NAME "IPVS\0", CTRL_ATTR_FAMILY_ID u16 0x23
        byte[] reply = Hex.bytes("2c000000 1000 0000 05000000 00000000 | 01 02 0000 |"
                + "0900 0200 4950565300 000000 | 0600 0100 2300 0000 | 0800 0300 01000000");
        assertEquals(OptionalInt.of(0x23), Genl.familyId(ByteBuffer.wrap(reply).order(ByteOrder.nativeOrder()), 0));
    }

    @Test
    void netmasksAndPortZero() {
        assertEquals(0xffffff00, IpvsPlan.netmask(false, "255.255.255.0"));
        assertEquals(0xffffff00, IpvsPlan.netmask(false, "24"));
        assertEquals(0xffffffff, IpvsPlan.netmask(false, ""));
        assertEquals(128, IpvsPlan.netmask(true, ""));
        assertEquals(48, IpvsPlan.netmask(true, "/48"));
        // keepalived forces persistence on a port-0 service; IPVS refuses one without it
        Service any = IpvsPlan.service(vs(key("192.0.2.249", "tcp", 0), "rr"));
        assertEquals(360, any.timeout());
        assertEquals(SVC_F_PERSISTENT, any.flags() & SVC_F_PERSISTENT);
        // the kernel's own HASHED bit is never sent; ops is one-packet scheduling, flag-3 SCHED3
        assertEquals(SVC_F_ONEPACKET | SVC_F_SCHED3, IpvsPlan.flags(java.util.List.of("hashed", "ops", "flag-3")));
    }
}
