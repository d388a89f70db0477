package org.vigil.driver.pcap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The link-layer address of a unicast peer, which a raw socket leaves to the kernel but pcap
 * must put in the frame itself. IPv4 reads the kernel's ARP table; IPv6 has no such file, so it
 * goes to the peer's solicited-node group, on which every IPv6 node listens for its own addresses.
 */
final class Neighbours {

    /** The calling thread's namespace (/proc/net follows the main thread's). */
    private static final Path ARP = Path.of("/proc/thread-self/net/arp");
    /** ATF_COM: a complete entry (linux/if_arp.h). */
    private static final int ATF_COM = 0x02;

    private Neighbours() {
    }

    /** The destination MAC for a unicast IP destination on the interface. */
    static byte[] unicastMac(String interfaceName, InetAddress destination) {
        if (destination.getAddress().length == 16) {
            return Frames.solicitedNodeMac(destination);
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
}
