package org.vigil.auth.internal;

import org.vigil.api.auth.AuthType;

/** Rejection reasons, worded as keepalived logs them so existing log scrapers keep matching. */
final class AuthReasons {
    static final String INVALID_PASSWORD = "received an invalid passwd!";
    static final String NO_AH_HEADER = "No AH header but auth type is AH";
    static final String INVALID_ICV = "IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !";
    static final String SEQUENCE_RESYNC = "IPSEC-AH : Syncing seq_num - Increment seq";
    // Not keepalived's: its raw socket always has the header and the length, ours are checked
    static final String NO_IP_HEADER = "IPSEC-AH : no IPv4 header from the driver - cannot check the ICV";
    static final String AH_TRUNCATED = "IPSEC-AH : packet shorter than its AH header";

    private AuthReasons() {
    }

    static String wrongType(int received, AuthType expected) {
        return "received a " + received + " auth, expecting " + expected.wireValue() + "!";
    }

    /** keepalived drops these silently ("an AH header for some other protocol"); we say why. */
    static String ahNotVrrp(int nextHeader) {
        return "IPSEC-AH : next header " + nextHeader + " is not VRRP - ignoring";
    }

    /**
     * keepalived prints both addresses with %u straight from network byte order, so on the
     * little-endian hosts it runs on, 192.0.2.11 reads 184680640; the same numbers here keep log
     * scrapers that match its line working. The received source comes first, then the SPI.
     */
    static String invalidSpi(byte[] ipHeader, int sourceOffset, byte[] ah, int spiOffset) {
        return "IPSEC AH : invalid IPSEC SPI value. " + littleEndian(ipHeader, sourceOffset) + " and expect "
                + littleEndian(ah, spiOffset);
    }

    static String replayed(long received, long local) {
        return "IPSEC-AH : sequence number " + received + " already processed. Packet dropped. Local(" + local + ")";
    }

    private static long littleEndian(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }
}
