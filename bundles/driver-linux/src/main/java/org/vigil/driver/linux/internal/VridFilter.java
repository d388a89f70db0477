package org.vigil.driver.linux.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A classic BPF program (SO_ATTACH_FILTER) that lets a raw socket keep only VRRP packets for the
 * VRIDs its instances have, so a flood for other VRIDs is dropped in the kernel and never costs
 * a read, a copy or a queue slot in Vigil (issue 8 item 7).
 *
 * <p>Where the filter looks: on an IPv4 raw socket the kernel runs it on the datagram from the IP
 * header on, so the VRID is one byte after the header (whose length the program reads with
 * BPF's "4 * (IHL)" load), 24 bytes further for AH; on an IPv6 raw socket it runs on the payload,
 * so the VRID is at offset 1. Contiguous VRIDs become one range test: 255 VRIDs cost two jumps.
 * A packet too short to reach the VRID byte fails the load and is dropped too.
 */
final class VridFilter {
    // linux/filter.h and linux/bpf_common.h
    private static final int BPF_LD = 0x00;
    private static final int BPF_LDX = 0x01;
    private static final int BPF_JMP = 0x05;
    private static final int BPF_RET = 0x06;
    private static final int BPF_B = 0x10;
    private static final int BPF_ABS = 0x20;
    private static final int BPF_IND = 0x40;
    private static final int BPF_MSH = 0xa0;
    private static final int BPF_K = 0x00;
    private static final int BPF_JGE = 0x30;
    private static final int BPF_JGT = 0x20;
    /** Size of struct sock_filter. */
    static final int INSTRUCTION_SIZE = 8;
    /** What an accepting filter returns: keep the whole datagram. */
    static final int ACCEPT = 0xffff;
    /** Offset of the VRID in a VRRP header (RFC 5798 section 5.1). */
    private static final int VRID_OFFSET = 1;
    private static final int AH_LENGTH = 24;

    private VridFilter() {
    }

    /**
     * The program as struct sock_filter[] bytes in host (little-endian) order.
     *
     * @param ipv4Header whether the socket sees the IPv4 header (an AF_INET raw socket)
     * @param ah whether VRRP follows a 24-byte AH header (protocol 51)
     * @param vrids the VRIDs to keep, bits 1..255; empty keeps nothing
     */
    static byte[] program(boolean ipv4Header, boolean ah, BitSet vrids) {
        List<int[]> code = new ArrayList<>();
        int vrid = VRID_OFFSET + (ah ? AH_LENGTH : 0);
        if (ipv4Header) {
            code.add(insn(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0)); // X = 4 * (IP[0] & 0xf)
            code.add(insn(BPF_LD | BPF_B | BPF_IND, 0, 0, vrid)); // A = IP[X + vrid]
        } else {
            code.add(insn(BPF_LD | BPF_B | BPF_ABS, 0, 0, vrid));
        }
        List<int[]> ranges = ranges(vrids);
        // Ranges ascend; each is a pair "A >= lo" then "A > hi", followed by reject, then accept.
        // Below lo means below every later range too: straight to reject. Above hi: the next pair.
        // Inside: accept. With at most 128 ranges every jump fits BPF's 8-bit offsets.
        for (int i = 0; i < ranges.size(); i++) {
            int after = 2 * (ranges.size() - 1 - i); // instructions of the later pairs
            code.add(insn(BPF_JMP | BPF_JGE | BPF_K, 0, 1 + after, ranges.get(i)[0]));
            code.add(insn(BPF_JMP | BPF_JGT | BPF_K, 0, after + 1, ranges.get(i)[1]));
        }
        code.add(insn(BPF_RET | BPF_K, 0, 0, 0)); // reject
        code.add(insn(BPF_RET | BPF_K, 0, 0, ACCEPT));
        byte[] out = new byte[code.size() * INSTRUCTION_SIZE];
        for (int i = 0; i < code.size(); i++) {
            int[] c = code.get(i);
            int o = i * INSTRUCTION_SIZE;
            out[o] = (byte) c[0];
            out[o + 1] = (byte) (c[0] >>> 8);
            out[o + 2] = (byte) c[1];
            out[o + 3] = (byte) c[2];
            out[o + 4] = (byte) c[3];
            out[o + 5] = (byte) (c[3] >>> 8);
            out[o + 6] = (byte) (c[3] >>> 16);
            out[o + 7] = (byte) (c[3] >>> 24);
        }
        return out;
    }

    /** Runs a program built by {@link #program} on a packet, as the kernel would: for tests. */
    static int run(byte[] program, byte[] packet) {
        int a = 0;
        int x = 0;
        int pc = 0;
        while (true) {
            int o = pc * INSTRUCTION_SIZE;
            int code = (program[o] & 0xff) | (program[o + 1] & 0xff) << 8;
            int jt = program[o + 2] & 0xff;
            int jf = program[o + 3] & 0xff;
            int k = (program[o + 4] & 0xff) | (program[o + 5] & 0xff) << 8 | (program[o + 6] & 0xff) << 16
                    | (program[o + 7] & 0xff) << 24;
            pc++;
            switch (code) {
                case BPF_LDX | BPF_B | BPF_MSH -> {
                    if (k >= packet.length) {
                        return 0;
                    }
                    x = 4 * (packet[k] & 0xf);
                }
                case BPF_LD | BPF_B | BPF_IND -> {
                    if (x + k >= packet.length) {
                        return 0;
                    }
                    a = packet[x + k] & 0xff;
                }
                case BPF_LD | BPF_B | BPF_ABS -> {
                    if (k >= packet.length) {
                        return 0;
                    }
                    a = packet[k] & 0xff;
                }
                case BPF_JMP | BPF_JGE | BPF_K -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;
                case BPF_JMP | BPF_JGT | BPF_K -> pc += Integer.compareUnsigned(a, k) > 0 ? jt : jf;
                case BPF_RET | BPF_K -> {
                    return k;
                }
                default -> throw new IllegalArgumentException("instruction " + code);
            }
        }
    }

    /** Maximal runs of set bits within 1..255, as [lo, hi] pairs. */
    static List<int[]> ranges(BitSet vrids) {
        List<int[]> out = new ArrayList<>();
        int v = vrids.nextSetBit(1);
        while (v >= 1 && v <= 255) {
            int end = vrids.nextClearBit(v) - 1;
            out.add(new int[] { v, Math.min(end, 255) });
            v = vrids.nextSetBit(end + 1);
        }
        return out;
    }

    private static int[] insn(int code, int jt, int jf, int k) {
        return new int[] { code, jt, jf, k };
    }
}
