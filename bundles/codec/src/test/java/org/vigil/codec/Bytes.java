package org.vigil.codec;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/** Test helpers: hex, and an independent RFC 1071 checksum over concatenated parts. */
final class Bytes {
    private Bytes() {
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            s.writeBytes(p);
        }
        return s.toByteArray();
    }

    /** Straight from RFC 1071 section 4.1, deliberately not sharing code with the codec. */
    static int referenceChecksum(byte[] data) {
        int sum = 0;
        int i = 0;
        for (; i + 1 < data.length; i += 2) {
            sum += ((data[i] & 0xFF) << 8) + (data[i + 1] & 0xFF);
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        if (i < data.length) {
            sum += (data[i] & 0xFF) << 8;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    static byte[] ipv4PseudoHeader(byte[] src, byte[] dst, int length) {
        return concat(src, dst, new byte[] {0, (byte) VrrpCodec.IP_PROTOCOL, (byte) (length >> 8), (byte) length});
    }

    static byte[] ipv6PseudoHeader(byte[] src, byte[] dst, int length) {
        return concat(src, dst, new byte[] {0, 0, (byte) (length >> 8), (byte) length, 0, 0, 0,
                (byte) VrrpCodec.IP_PROTOCOL});
    }

    /** Rewrites the checksum of the message at off..off+length in the given form. */
    static void fixChecksum(byte[] buf, int off, int length, ChecksumForm form, boolean ipv6, byte[] src,
            byte[] dst) {
        buf[off + 6] = 0;
        buf[off + 7] = 0;
        byte[] message = java.util.Arrays.copyOfRange(buf, off, off + length);
        byte[] covered = switch (form) {
            case V2, V3_MESSAGE_ONLY -> message;
            case V3_PSEUDO_HEADER -> concat(ipv6 ? ipv6PseudoHeader(src, dst, length)
                    : ipv4PseudoHeader(src, dst, length), message);
        };
        int c = referenceChecksum(covered);
        buf[off + 6] = (byte) (c >> 8);
        buf[off + 7] = (byte) c;
    }
}
