package org.vigil.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader for the classic pcap files tcpdump writes (Ethernet link type): the VRRP packets only (IPv4 protocol
 * 112, IPv6 next header 112), with the few fields the benchmarks use. Faster than tshark for the hundreds of
 * thousands of packets a benchmark window holds. A record cut off at the end of the file is ignored.
 */
final class Pcap {
    /** One VRRP packet: capture time (µs since the epoch), source MAC, IP family (4 or 6), VRRP fields. */
    record Advert(long micros, long srcMac, int family, int version, int vrid, int priority, int srcV4) {
        double seconds() {
            return micros / 1e6;
        }
    }

    private Pcap() {
    }

    static long mac(String colonHex) {
        return Long.parseLong(colonHex.replace(":", ""), 16);
    }

    static List<Advert> adverts(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Advert> out = new ArrayList<>();
        if (all.length < 24) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        boolean nanos;
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        nanos = magic == 0xa1b23c4d;
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new IllegalStateException("not a pcap file: " + file);
        }
        int linkType = b.getInt(20);
        if (linkType != 1) {
            throw new IllegalStateException("pcap link type " + linkType + " (want Ethernet): " + file);
        }
        int pos = 24;
        while (pos + 16 <= all.length) {
            long sec = b.getInt(pos) & 0xffffffffL;
            long sub = b.getInt(pos + 4) & 0xffffffffL;
            int incl = b.getInt(pos + 8);
            int p = pos + 16;
            if (incl < 0 || p + incl > all.length) {
                break;
            }
            pos = p + incl;
            long micros = sec * 1_000_000L + (nanos ? sub / 1000 : sub);
            if (incl < 14) {
                continue;
            }
            long src = 0;
            for (int i = 6; i < 12; i++) {
                src = (src << 8) | (all[p + i] & 0xff);
            }
            int type = ((all[p + 12] & 0xff) << 8) | (all[p + 13] & 0xff);
            int l3 = p + 14;
            if (type == 0x8100 && incl >= 18) {
                type = ((all[p + 16] & 0xff) << 8) | (all[p + 17] & 0xff);
                l3 += 4;
            }
            int end = p + incl;
            if (type == 0x0800 && l3 + 20 <= end) {
                int ihl = (all[l3] & 0x0f) * 4;
                if ((all[l3 + 9] & 0xff) != 112 || l3 + ihl + 3 > end) {
                    continue;
                }
                int v = l3 + ihl;
                int srcV4 = ((all[l3 + 12] & 0xff) << 24) | ((all[l3 + 13] & 0xff) << 16) | ((all[l3 + 14] & 0xff) << 8)
                        | (all[l3 + 15] & 0xff);
                out.add(new Advert(micros, src, 4, (all[v] & 0xff) >> 4, all[v + 1] & 0xff, all[v + 2] & 0xff, srcV4));
            } else if (type == 0x86dd && l3 + 40 + 3 <= end) {
                if ((all[l3 + 6] & 0xff) != 112) {
                    continue;
                }
                int v = l3 + 40;
                out.add(new Advert(micros, src, 6, (all[v] & 0xff) >> 4, all[v + 1] & 0xff, all[v + 2] & 0xff, 0));
            }
        }
        return out;
    }
}
