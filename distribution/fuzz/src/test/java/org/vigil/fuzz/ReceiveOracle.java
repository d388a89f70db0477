package org.vigil.fuzz;

import org.vigil.codec.ChecksumForm;
import org.vigil.codec.DecodeStatus;

/**
 * The receive checks as {@code VrrpCodec}'s class comment documents them, written again from that
 * text (RFC 3768 7.1, RFC 5798 7.1, RFC 1071) without the codec's code, so that the fuzzer compares
 * two readings of the contract. Clarity over speed; allocation is fine here.
 */
final class ReceiveOracle {
    private ReceiveOracle() {
    }

    /** Message plus Ethernet padding over IPv4: a 46-byte minimum payload less a 20-byte header. */
    private static final int PADDED_IPV4 = 26;

    static DecodeStatus expectedStatus(byte[] buf, int off, int len, boolean ipv6, byte[] src, byte[] dst, int ttl) {
        if (ttl != 255) {
            return DecodeStatus.BAD_TTL;
        }
        if (len < 8) {
            return DecodeStatus.TRUNCATED;
        }
        int version = (buf[off] & 0xFF) >> 4;
        if (version != 3 && !(version == 2 && !ipv6)) {
            return DecodeStatus.BAD_VERSION;
        }
        if ((buf[off] & 0x0F) != 1) {
            return DecodeStatus.BAD_TYPE;
        }
        if (buf[off + 1] == 0) {
            return DecodeStatus.BAD_VRID;
        }
        int need = length(buf, off, ipv6);
        if (len < need) {
            return DecodeStatus.TRUNCATED;
        }
        if (len > need && (ipv6 || len > PADDED_IPV4)) {
            return DecodeStatus.BAD_LENGTH;
        }
        if (version == 3 && (buf[off + 4] & 0x0F) == 0 && buf[off + 5] == 0) {
            return DecodeStatus.BAD_INTERVAL;
        }
        if (version == 2) {
            return verifies(buf, off, need, ipv6, src, dst, ChecksumForm.V2) ? DecodeStatus.OK : DecodeStatus.BAD_CHECKSUM;
        }
        boolean ok = verifies(buf, off, need, ipv6, src, dst, ChecksumForm.V3_PSEUDO_HEADER)
                || (!ipv6 && verifies(buf, off, need, ipv6, src, dst, ChecksumForm.V3_MESSAGE_ONLY));
        return ok ? DecodeStatus.OK : DecodeStatus.BAD_CHECKSUM;
    }

    /** Header, Count addresses of the family, and v2's 8 bytes of authentication data. */
    static int length(byte[] buf, int off, boolean ipv6) {
        int count = buf[off + 3] & 0xFF;
        boolean v2 = (buf[off] & 0xF0) == 0x20;
        return 8 + count * (ipv6 ? 16 : 4) + (v2 ? 8 : 0);
    }

    /** Whether the message of {@code length} bytes at {@code off} verifies in {@code form}. */
    static boolean verifies(byte[] buf, int off, int length, boolean ipv6, byte[] src, byte[] dst, ChecksumForm form) {
        int size = ipv6 ? 16 : 4;
        if (form == ChecksumForm.V3_PSEUDO_HEADER) {
            if (src == null || dst == null || src.length != size || dst.length != size) {
                return false;
            }
            return onesComplementSum(concat(pseudoHeader(src, dst, length, ipv6), buf, off, length)) == 0xFFFF;
        }
        if (form == ChecksumForm.V3_MESSAGE_ONLY && ipv6) {
            return false;
        }
        return onesComplementSum(concat(new byte[0], buf, off, length)) == 0xFFFF;
    }

    /**
     * Writes a checksum that verifies: v2 over the message, v3 with the pseudo-header unless
     * {@code messageOnly} (or the addresses are unusable, over IPv4). Does nothing when the
     * message is too short to hold what its header announces.
     */
    static void fixChecksum(byte[] buf, int off, int len, boolean ipv6, byte[] src, byte[] dst, boolean messageOnly) {
        if (len < 8) {
            return;
        }
        int length = length(buf, off, ipv6);
        if (length > len) {
            return;
        }
        boolean v2 = (buf[off] & 0xF0) == 0x20;
        int size = ipv6 ? 16 : 4;
        boolean usable = src != null && dst != null && src.length == size && dst.length == size;
        boolean pseudo = !v2 && usable && (ipv6 || !messageOnly);
        buf[off + 6] = 0;
        buf[off + 7] = 0;
        byte[] header = pseudo ? pseudoHeader(src, dst, length, ipv6) : new byte[0];
        int checksum = ~onesComplementSum(concat(header, buf, off, length)) & 0xFFFF;
        buf[off + 6] = (byte) (checksum >> 8);
        buf[off + 7] = (byte) checksum;
    }

    /** IPv4 (RFC 768): src, dst, 0, 112, 16-bit length; IPv6 (RFC 8200 8.1): src, dst, 32-bit length, 0, 0, 0, 112. */
    private static byte[] pseudoHeader(byte[] src, byte[] dst, int length, boolean ipv6) {
        int size = src.length;
        byte[] h = new byte[ipv6 ? 40 : 12];
        System.arraycopy(src, 0, h, 0, size);
        System.arraycopy(dst, 0, h, size, size);
        if (ipv6) {
            h[32] = (byte) (length >>> 24);
            h[33] = (byte) (length >>> 16);
            h[34] = (byte) (length >>> 8);
            h[35] = (byte) length;
            h[39] = 112;
        } else {
            h[9] = 112;
            h[10] = (byte) (length >>> 8);
            h[11] = (byte) length;
        }
        return h;
    }

    private static byte[] concat(byte[] head, byte[] buf, int off, int length) {
        byte[] all = new byte[head.length + length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(buf, off, all, head.length, length);
        return all;
    }

    /** RFC 1071 with the end-around carry added at every step; an odd last byte is padded with zero. */
    private static int onesComplementSum(byte[] data) {
        int sum = 0;
        for (int i = 0; i < data.length; i += 2) {
            int word = (data[i] & 0xFF) << 8 | (i + 1 < data.length ? data[i + 1] & 0xFF : 0);
            sum += word;
            if (sum > 0xFFFF) {
                sum = (sum & 0xFFFF) + 1;
            }
        }
        return sum;
    }
}
