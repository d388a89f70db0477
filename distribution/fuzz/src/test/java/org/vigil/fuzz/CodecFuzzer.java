package org.vigil.fuzz;

import java.util.Arrays;

import org.vigil.codec.ChecksumForm;
import org.vigil.codec.DecodeStatus;
import org.vigil.codec.DecodedAdvert;
import org.vigil.codec.VirtualMac;
import org.vigil.codec.VrrpCodec;

/**
 * Fuzz target for the receive side of the codec: {@link VrrpCodec#decode} over both versions and
 * both families, and {@link VirtualMac#vridOf}. A Jazzer target ({@code fuzzerTestOneInput}) and,
 * through {@link CorpusReplayTest}, a regression test for every committed input.
 *
 * <h2>Input layout</h2>
 * <pre>
 * byte 0   flags: 0x01 IPv6, 0x02 fix the checksum before decoding, 0x04 fix it message-only
 *          (v3 over IPv4), 0x08 TTL from byte 1 instead of 255, 0x10 no src/dst, 0x20 src of the
 *          other family's size, 0x40 decode into a null DecodedAdvert too
 * byte 1   TTL (with 0x08)
 * byte 2   low 5 bits: offset of the message in the buffer; high 3 bits: garbage bytes after it
 * then     src and dst (4 + 4 or 16 + 16 bytes, zero-filled when the input is short)
 * rest     the VRRP message; {@code len} is its length
 * </pre>
 * "Fix the checksum" lets the fuzzer get past the checksum, so that the accepted paths (field
 * ranges, the re-encode round trip) are explored too; the oracle ({@link ReceiveOracle}) knows it.
 *
 * <h2>Invariants</h2>
 * No exception for any input; the status equals the one the class comment of {@link VrrpCodec}
 * documents (checks in order, computed independently by {@link ReceiveOracle}); the status does
 * not depend on bytes outside {@code [off, off + len)} nor on whether a {@link DecodedAdvert} is
 * given; a rejected packet leaves the {@link DecodedAdvert} untouched; an accepted one has every
 * field in range and consistent with the bytes; re-encoding it gives the same message (up to the
 * v3 reserved bits, which encode zeroes, and the two one's-complement forms of a zero checksum)
 * and decodes to the same fields.
 */
public final class CodecFuzzer {
    static final int IPV6 = 0x01;
    static final int FIX_CHECKSUM = 0x02;
    static final int MESSAGE_ONLY = 0x04;
    static final int OWN_TTL = 0x08;
    static final int NO_ADDRESSES = 0x10;
    static final int WRONG_SIZE_SRC = 0x20;
    static final int ALSO_NULL_OUT = 0x40;
    static final int PREFIX = 3;

    /** A valid VRRPv3 advert; decoding it fills a DecodedAdvert with known values. */
    private static final byte[] REFERENCE_SRC = {(byte) 192, 0, 2, 11};
    private static final byte[] REFERENCE_DST = {(byte) 224, 0, 0, 18};
    private static final byte[] REFERENCE = reference();

    private CodecFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length < PREFIX) {
            return;
        }
        int flags = input[0] & 0xFF;
        boolean ipv6 = (flags & IPV6) != 0;
        int ttl = (flags & OWN_TTL) != 0 ? input[1] & 0xFF : VrrpCodec.TTL;
        int off = input[2] & 0x1F;
        int garbage = (input[2] & 0xFF) >>> 5;
        int addressLength = ipv6 ? VrrpCodec.IPV6_ADDRESS_LENGTH : VrrpCodec.IPV4_ADDRESS_LENGTH;
        int p = PREFIX;
        byte[] src = slice(input, p, addressLength);
        byte[] dst = slice(input, p + addressLength, addressLength);
        p = Math.min(input.length, p + 2 * addressLength);
        if ((flags & NO_ADDRESSES) != 0) {
            src = null;
            dst = null;
        } else if ((flags & WRONG_SIZE_SRC) != 0) {
            src = Arrays.copyOf(src, ipv6 ? VrrpCodec.IPV4_ADDRESS_LENGTH : VrrpCodec.IPV6_ADDRESS_LENGTH);
        }
        int len = input.length - p;
        byte[] buf = new byte[off + len + garbage];
        // garbage around the message that decode must not look at
        Arrays.fill(buf, (byte) 0xA5);
        System.arraycopy(input, p, buf, off, len);
        if ((flags & FIX_CHECKSUM) != 0) {
            ReceiveOracle.fixChecksum(buf, off, len, ipv6, src, dst, (flags & MESSAGE_ONLY) != 0);
        }
        check(buf, off, len, ipv6, src, dst, ttl, (flags & ALSO_NULL_OUT) != 0);

        // VirtualMac.vridOf reads a MAC from received frames: any 6 bytes, any offset
        checkVridOf(buf, off);
    }

    static void check(byte[] buf, int off, int len, boolean ipv6, byte[] src, byte[] dst, int ttl, boolean nullOut) {
        DecodeStatus expected = ReceiveOracle.expectedStatus(buf, off, len, ipv6, src, dst, ttl);
        DecodedAdvert out = preFilled();
        DecodeStatus status = VrrpCodec.decode(buf, off, len, ipv6, src, dst, ttl, out);
        require(status == expected, "status " + status + ", the documented checks give " + expected);
        if (nullOut) {
            DecodeStatus alone = VrrpCodec.decode(buf, off, len, ipv6, src, dst, ttl, null);
            require(alone == status, "with a null DecodedAdvert: " + alone + " instead of " + status);
        }
        byte[] exact = Arrays.copyOfRange(buf, off, off + len);
        DecodeStatus atZero = VrrpCodec.decode(exact, 0, len, ipv6, src, dst, ttl, null);
        require(atZero == status, "the same bytes at offset 0 in an exact buffer give " + atZero + ", not " + status);
        if (status != DecodeStatus.OK) {
            requireUntouched(out);
            return;
        }
        checkAccepted(out, buf, off, len, ipv6, src, dst);
        roundTrip(out, buf, off, ipv6, src, dst);
    }

    private static void checkAccepted(DecodedAdvert a, byte[] buf, int off, int len, boolean ipv6, byte[] src,
            byte[] dst) {
        int version = a.version();
        boolean v2 = version == VrrpCodec.VERSION_2;
        require(version == VrrpCodec.VERSION_3 || (v2 && !ipv6), "version " + version + (ipv6 ? " over IPv6" : ""));
        require(version == (buf[off] & 0xFF) >>> 4, "version differs from the byte");
        require(a.vrid() >= 1 && a.vrid() <= 255 && a.vrid() == (buf[off + 1] & 0xFF), "vrid " + a.vrid());
        require(a.priority() == (buf[off + 2] & 0xFF), "priority " + a.priority());
        require(a.addressCount() == (buf[off + 3] & 0xFF), "count " + a.addressCount());
        int addressLength = ipv6 ? VrrpCodec.IPV6_ADDRESS_LENGTH : VrrpCodec.IPV4_ADDRESS_LENGTH;
        require(a.addressLength() == addressLength, "address length " + a.addressLength());
        require(a.length() == VrrpCodec.messageLength(version, ipv6, a.addressCount()) && a.length() <= len,
                "length " + a.length() + " of " + len + " bytes");
        require(a.length() <= VrrpCodec.MAX_LENGTH, "length above MAX_LENGTH: " + a.length());
        require(a.buffer() == buf, "buffer is not the caller's");
        require(a.addressesOffset() == off + VrrpCodec.HEADER_LENGTH, "addresses offset " + a.addressesOffset());
        if (v2) {
            require(a.authType() == (buf[off + 4] & 0xFF), "auth type " + a.authType());
            require(a.authDataOffset() == off + VrrpCodec.HEADER_LENGTH + a.addressCount() * addressLength,
                    "auth data offset " + a.authDataOffset());
            require(a.advertIntervalCs() == (buf[off + 5] & 0xFF) * 100, "v2 interval " + a.advertIntervalCs());
            require(a.checksumForm() == ChecksumForm.V2, "v2 form " + a.checksumForm());
        } else {
            require(a.authType() == 0 && a.authDataOffset() == -1, "v3 with auth fields");
            int interval = ((buf[off + 4] & 0x0F) << 8) | (buf[off + 5] & 0xFF);
            require(a.advertIntervalCs() == interval && interval >= 1 && interval <= VrrpCodec.V3_MAX_INTERVAL_CS,
                    "v3 interval " + a.advertIntervalCs());
            require(a.checksumForm() == ChecksumForm.V3_PSEUDO_HEADER || a.checksumForm() == ChecksumForm.V3_MESSAGE_ONLY,
                    "v3 form " + a.checksumForm());
            require(!ipv6 || a.checksumForm() == ChecksumForm.V3_PSEUDO_HEADER, "IPv6 without pseudo-header");
        }
        require(ReceiveOracle.verifies(buf, off, a.length(), ipv6, src, dst, a.checksumForm()),
                "reported form " + a.checksumForm() + " does not verify");
        if (a.checksumForm() == ChecksumForm.V3_MESSAGE_ONLY) {
            require(!ReceiveOracle.verifies(buf, off, a.length(), ipv6, src, dst, ChecksumForm.V3_PSEUDO_HEADER),
                    "both forms verify but message-only was reported");
        }
        require(a.checksum() == (((buf[off + 6] & 0xFF) << 8) | (buf[off + 7] & 0xFF)), "checksum field");
        for (int i = 0; i < a.addressCount(); i++) {
            byte[] address = a.address(i);
            int at = a.addressesOffset() + i * addressLength;
            require(Arrays.equals(address, 0, addressLength, buf, at, at + addressLength), "address " + i);
            require(a.addressEquals(i, address) && a.containsAddress(address), "address " + i + " not found");
            int index = a.indexOf(address);
            require(index >= 0 && index <= i, "indexOf gives " + index + " for address " + i);
        }
        require(a.indexOf(new byte[addressLength + 1]) == -1, "indexOf accepts a wrong size");
        require(!a.addressEquals(a.addressCount(), new byte[addressLength]), "addressEquals past the count");
        require(a.toString().startsWith("VRRPv" + version), "toString");
    }

    /** Encode what was decoded and compare with what was received. */
    private static void roundTrip(DecodedAdvert a, byte[] buf, int off, boolean ipv6, byte[] src, byte[] dst) {
        boolean v2 = a.version() == VrrpCodec.VERSION_2;
        if (v2 && a.advertIntervalCs() == 0) {
            // accepted on receive (the interval is the caller's check), refused on send: nothing to compare
            return;
        }
        int addressBytes = a.addressCount() * a.addressLength();
        byte[] addresses = Arrays.copyOfRange(buf, a.addressesOffset(), a.addressesOffset() + addressBytes);
        byte[] authData = v2 ? Arrays.copyOfRange(buf, a.authDataOffset(), a.authDataOffset() + 8) : null;
        byte[] again = new byte[a.length()];
        int n = VrrpCodec.encode(a.version(), a.vrid(), a.priority(), a.advertIntervalCs(), a.authType(), authData,
                addresses, ipv6, a.checksumForm(), src, dst, again, 0);
        require(n == a.length(), "re-encoded " + n + " bytes, received " + a.length());
        boolean reservedZero = v2 || (buf[off + 4] & 0xF0) == 0;
        for (int i = 0; i < n; i++) {
            if (i == 6 || i == 7) {
                continue;
            }
            int received = buf[off + i] & 0xFF;
            if (i == 4 && !v2) {
                received &= 0x0F; // the reserved bits are zero on send (RFC 5798 5.2.6)
            }
            require((again[i] & 0xFF) == received, "re-encoded byte " + i + " differs");
        }
        int sent = ((again[6] & 0xFF) << 8) | (again[7] & 0xFF);
        if (reservedZero) {
            // 0x0000 and 0xFFFF are the same one's-complement zero; encode writes the former
            require(sent == a.checksum() || (sent == 0 && a.checksum() == 0xFFFF),
                    String.format("re-encoded checksum 0x%04x, received 0x%04x", sent, a.checksum()));
        }
        DecodedAdvert b = new DecodedAdvert();
        DecodeStatus status = VrrpCodec.decode(again, 0, n, ipv6, src, dst, VrrpCodec.TTL, b);
        require(status == DecodeStatus.OK, "the re-encoded advert decodes as " + status);
        require(b.version() == a.version() && b.vrid() == a.vrid() && b.priority() == a.priority()
                && b.addressCount() == a.addressCount() && b.authType() == a.authType()
                && b.advertIntervalCs() == a.advertIntervalCs() && b.checksumForm() == a.checksumForm(),
                "the re-encoded advert decodes to " + b + ", received " + a);
    }

    private static void checkVridOf(byte[] buf, int off) {
        int vrid = VirtualMac.vridOf(buf, off);
        boolean fits = off <= buf.length - VirtualMac.LENGTH;
        if (!fits) {
            require(vrid == -1, "vridOf beyond the buffer gave " + vrid);
            return;
        }
        if (vrid < 0) {
            require(vrid == -1, "vridOf gave " + vrid);
            require(!Arrays.equals(buf, off, off + 6, VirtualMac.of(Math.max(1, buf[off + 5] & 0xFF), false), 0, 6)
                    && !Arrays.equals(buf, off, off + 6, VirtualMac.of(Math.max(1, buf[off + 5] & 0xFF), true), 0, 6),
                    "vridOf rejected a virtual MAC");
            return;
        }
        require(vrid >= 1 && vrid <= 255, "vridOf gave " + vrid);
        require(Arrays.equals(buf, off, off + 6, VirtualMac.of(vrid, false), 0, 6)
                || Arrays.equals(buf, off, off + 6, VirtualMac.of(vrid, true), 0, 6), "vridOf accepted a non-VRRP MAC");
    }

    private static DecodedAdvert preFilled() {
        DecodedAdvert out = new DecodedAdvert();
        DecodeStatus s = VrrpCodec.decode(REFERENCE, 0, REFERENCE.length, false, REFERENCE_SRC, REFERENCE_DST,
                VrrpCodec.TTL, out);
        require(s == DecodeStatus.OK, "the reference advert decodes as " + s);
        return out;
    }

    private static void requireUntouched(DecodedAdvert out) {
        require(out.version() == 3 && out.vrid() == 51 && out.priority() == 150 && out.addressCount() == 1
                && out.advertIntervalCs() == 100 && out.buffer() == REFERENCE && out.addressesOffset() == 8
                && out.addressLength() == 4 && out.authDataOffset() == -1 && out.length() == 12
                && out.checksumForm() == ChecksumForm.V3_PSEUDO_HEADER, "a rejected packet changed the DecodedAdvert: " + out);
    }

    private static byte[] reference() {
        byte[] b = new byte[12];
        VrrpCodec.encode(3, 51, 150, 100, 0, null, new byte[] {(byte) 192, 0, 2, (byte) 249}, false,
                ChecksumForm.V3_PSEUDO_HEADER, REFERENCE_SRC, REFERENCE_DST, b, 0);
        return b;
    }

    private static byte[] slice(byte[] input, int from, int n) {
        byte[] out = new byte[n];
        if (from < input.length) {
            System.arraycopy(input, from, out, 0, Math.min(n, input.length - from));
        }
        return out;
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new InvariantViolation(what);
        }
    }
}
