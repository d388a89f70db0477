package org.vigil.driver.pcap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
/**
 * The link-layer address of a unicast peer, which a raw socket leaves to the kernel but pcap
 * must put in the frame itself: the kernel's neighbour table (the ARP table file for IPv4, an
 * rtnetlink RTM_GETNEIGH dump for IPv6), read in the calling thread's network namespace. When
 * the kernel has no usable entry (it learns none from our traffic, since pcap bypasses it), IPv4
 * goes to broadcast and IPv6 to the peer's solicited-node group, on which every IPv6 node listens
 * for its own addresses.
 */
final class Neighbours {

    /** The calling thread's namespace (/proc/net follows the main thread's). */
    private static final Path ARP = Path.of("/proc/thread-self/net/arp");
    /** ATF_COM: a complete entry (linux/if_arp.h). */
    private static final int ATF_COM = 0x02;

    // rtnetlink (linux/netlink.h, linux/rtnetlink.h, linux/neighbour.h)
    private static final int AF_NETLINK = 16;
    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int NLMSG_HEADER = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int RTM_NEWNEIGH = 28;
    private static final int RTM_GETNEIGH = 30;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_DUMP = 0x300;
    private static final int NDMSG = 12;
    private static final int NDA_DST = 1;
    private static final int NDA_LLADDR = 2;
    /** NUD_INCOMPLETE and NUD_FAILED carry no usable address; every other state does. */
    private static final int NUD_UNUSABLE = 0x01 | 0x20;
    private static final int RECEIVE_BUFFER = 32768;

    private Neighbours() {
    }

    /** The destination MAC for a unicast IP destination on the interface. */
    static byte[] unicastMac(String interfaceName, InetAddress destination) {
        if (destination.getAddress().length == 16) {
            return ipv6(interfaceName, destination).orElseGet(() -> Frames.solicitedNodeMac(destination));
        }
        try {
            return arp(Files.readString(ARP, StandardCharsets.US_ASCII), interfaceName, destination)
                    .orElse(Frames.BROADCAST_MAC);
        } catch (IOException e) {
            return Frames.BROADCAST_MAC;
        }
    }

    /**
     * Finds a complete entry in the text of /proc/net/arp:
     * {@code IP address  HW type  Flags  HW address  Mask  Device}.
     */
    static Optional<byte[]> arp(String table, String interfaceName, InetAddress destination) {
        String ip = destination.getHostAddress();
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[0].equals(ip) || !f[5].equals(interfaceName)) {
                continue;
            }
            try {
                int flags = Integer.decode(f[2]);
                byte[] mac = HexFormat.ofDelimiter(":").parseHex(f[3]);
                if ((flags & ATF_COM) != 0 && mac.length == 6) {
                    return Optional.of(mac);
                }
            } catch (IllegalArgumentException e) {
                // a malformed line: not this neighbour
            }
        }
        return Optional.empty();
    }

    /** The kernel's IPv6 neighbour entry for the address on the interface, through RTM_GETNEIGH. */
    static Optional<byte[]> ipv6(String interfaceName, InetAddress destination) {
        Interfaces.LibC libc = Interfaces.LIBC;
        int ifindex = libc.if_nametoindex(interfaceName);
        if (ifindex <= 0) {
            return Optional.empty();
        }
        int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            return Optional.empty();
        }
        try {
            // A kernel that does not answer must not hold up a send: 100 ms at most per read
            byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(100_000).array();
            libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length);
            ByteBuffer request = ByteBuffer.allocate(NLMSG_HEADER + NDMSG).order(ByteOrder.nativeOrder());
            request.putInt(NLMSG_HEADER + NDMSG).putShort((short) RTM_GETNEIGH)
                    .putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(1).putInt(0);
            request.put((byte) AF_INET6).put((byte) 0).putShort((short) 0).putInt(ifindex).putShort((short) 0)
                    .put((byte) 0).put((byte) 0);
            if (libc.send(fd, request.array(), request.capacity(), 0) < 0) {
                return Optional.empty();
            }
            byte[] buffer = new byte[RECEIVE_BUFFER];
            byte[] wanted = destination.getAddress();
            Optional<byte[]> found = Optional.empty();
            while (true) {
                long n = libc.recv(fd, buffer, buffer.length, 0);
                if (n <= 0) {
                    return found;
                }
                Dump d = parse(buffer, (int) n, ifindex, wanted);
                if (d.mac != null) {
                    found = Optional.of(d.mac);
                }
                if (d.done) {
                    return found;
                }
            }
        } finally {
            libc.close(fd);
        }
    }

    /** What one read of a neighbour dump held: the entry when found, and whether the dump ended. */
    record Dump(byte[] mac, boolean done) {
    }

    /** Walks one read of an RTM_GETNEIGH dump (several messages, each 4-aligned). */
    static Dump parse(byte[] buf, int length, int ifindex, byte[] wanted) {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, length).order(ByteOrder.nativeOrder());
        byte[] mac = null;
        int off = 0;
        while (off + NLMSG_HEADER <= length) {
            int len = b.getInt(off);
            int type = b.getShort(off + 4) & 0xffff;
            if (len < NLMSG_HEADER || off + len > length) {
                return new Dump(mac, true);
            }
            if (type == NLMSG_DONE || type == NLMSG_ERROR) {
                return new Dump(mac, true);
            }
            int nd = off + NLMSG_HEADER;
            if (type == RTM_NEWNEIGH && len >= NLMSG_HEADER + NDMSG && b.getInt(nd + 4) == ifindex
                    && ((b.getShort(nd + 8) & 0xffff) & NUD_UNUSABLE) == 0) {
                byte[] dst = null;
                byte[] lladdr = null;
                int a = nd + NDMSG;
                while (a + 4 <= off + len) {
                    int alen = b.getShort(a) & 0xffff;
                    int atype = b.getShort(a + 2) & 0x3fff;
                    if (alen < 4 || a + alen > off + len) {
                        break;
                    }
                    if (atype == NDA_DST) {
                        dst = Arrays.copyOfRange(buf, a + 4, a + alen);
                    } else if (atype == NDA_LLADDR) {
                        lladdr = Arrays.copyOfRange(buf, a + 4, a + alen);
                    }
                    a += (alen + 3) & ~3;
                }
                if (dst != null && lladdr != null && lladdr.length == 6 && Arrays.equals(dst, wanted)) {
                    mac = lladdr;
                }
            }
            off += (len + 3) & ~3;
        }
        return new Dump(mac, false);
    }
}
