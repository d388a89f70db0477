package org.vigil.driver.pcap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The interfaces of the calling thread's network namespace, from getifaddrs(3) through JNA.
 * glibc reads them over rtnetlink on a socket it opens on the calling thread, so a thread that
 * entered another namespace sees that namespace; /sys/class/net would show the namespace that
 * mounted sysfs instead.
 */
final class Interfaces {

    /** The libc calls this driver makes itself; pcap4j binds libpcap on its own. */
    interface LibC extends Library {
        int getifaddrs(PointerByReference ifap);

        void freeifaddrs(Pointer ifa);

        int if_nametoindex(String name);

        int socket(int domain, int type, int protocol);

        long send(int fd, byte[] buf, long len, int flags);

        long recv(int fd, byte[] buf, long len, int flags);

        int setsockopt(int fd, int level, int name, byte[] value, int len);

        int close(int fd);
    }

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int AF_PACKET = 17;
    private static final int IFF_UP = 0x1;
    /** Operationally up: carrier present and not dormant (RFC 2863 operStatus up). */
    private static final int IFF_RUNNING = 0x40;

    // struct ifaddrs on LP64 Linux (x86_64, aarch64)
    private static final int IFA_NEXT = 0;
    private static final int IFA_NAME = 8;
    private static final int IFA_FLAGS = 16;
    private static final int IFA_ADDR = 24;
    // struct sockaddr_ll
    private static final int SLL_IFINDEX = 4;
    private static final int SLL_HALEN = 11;
    private static final int SLL_ADDR = 12;

    static final LibC LIBC = Native.load("c", LibC.class);

    /** One interface: index, MAC, flags and its addresses in the kernel's order (primary IPv4 first). */
    record Iface(String name, int index, byte[] mac, int flags, List<InetAddress> addresses) {
        boolean up() {
            return (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
        }
    }

    private Interfaces() {
    }

    /** Every interface by name. */
    static Map<String, Iface> read() throws IOException {
        PointerByReference ref = new PointerByReference();
        if (LIBC.getifaddrs(ref) != 0) {
            throw new IOException("getifaddrs failed: errno " + Native.getLastError());
        }
        Pointer head = ref.getValue();
        Map<String, int[]> links = new LinkedHashMap<>();
        Map<String, byte[]> macs = new LinkedHashMap<>();
        Map<String, List<InetAddress>> addresses = new LinkedHashMap<>();
        try {
            for (Pointer p = head; p != null; p = p.getPointer(IFA_NEXT)) {
                Pointer namePointer = p.getPointer(IFA_NAME);
                Pointer sa = p.getPointer(IFA_ADDR);
                if (namePointer == null || sa == null) {
                    continue;
                }
                // IPv4 addresses carry their label (lan0:1), which always starts with the device name
                String label = namePointer.getString(0, "US-ASCII");
                int colon = label.indexOf(':');
                String name = colon < 0 ? label : label.substring(0, colon);
                int family = sa.getShort(0) & 0xffff;
                if (family == AF_PACKET) {
                    links.put(name, new int[] { sa.getInt(SLL_IFINDEX), p.getInt(IFA_FLAGS) });
                    int halen = sa.getByte(SLL_HALEN) & 0xff;
                    macs.put(name, halen == 6 ? sa.getByteArray(SLL_ADDR, 6) : new byte[6]);
                } else if (family == AF_INET) {
                    addresses.computeIfAbsent(name, n -> new ArrayList<>()).add(address(sa.getByteArray(4, 4)));
                } else if (family == AF_INET6) {
                    addresses.computeIfAbsent(name, n -> new ArrayList<>()).add(address(sa.getByteArray(8, 16)));
                }
            }
        } finally {
            LIBC.freeifaddrs(head);
        }
        Map<String, Iface> result = new LinkedHashMap<>();
        links.forEach((name, link) -> result.put(name, new Iface(name, link[0], macs.get(name), link[1],
                List.copyOf(addresses.getOrDefault(name, List.of())))));
        return result;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            // Without a scope: ReceivedPacket and ChannelSpec compare plain addresses
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
