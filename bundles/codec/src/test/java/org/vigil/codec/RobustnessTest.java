package org.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.vigil.codec.Vectors.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever arrives, decode answers with a DecodeStatus and never throws; what it accepts is
 * consistent. Seeded: set -Dvigil.fuzz.seed=N to reproduce a failure.
 */
@Timeout(60)
class RobustnessTest {

    private static final long SEED = Long.getLong("vigil.fuzz.seed", 0x5EEDC0DEL);

    private record Sample(String name, byte[] message, boolean ipv6, byte[] src, byte[] dst) {
    }

    private static final Sample[] SAMPLES = {
        new Sample("v2 PASS 150", V2_PASS_150, false, R1_IPV4, GROUP_IPV4),
        new Sample("v2 PASS 0", V2_PASS_0, false, R1_IPV4, GROUP_IPV4),
        new Sample("v3 IPv4 150", V3_IPV4_150, false, R1_IPV4, GROUP_IPV4),
        new Sample("v3 IPv4 0", V3_IPV4_0, false, R1_IPV4, GROUP_IPV4),
        new Sample("v2 AH inner", Arrays.copyOfRange(V2_AH_IP, V2_AH_VRRP_OFFSET, V2_AH_IP.length), false, R1_IPV4,
                GROUP_IPV4),
        new Sample("v3 IPv6 150", V3_IPV6_150, true, R1_LINK_LOCAL, GROUP_IPV6),
    };

    private final DecodedAdvert advert = new DecodedAdvert();
    private long cases;
    private long accepted;

    @Test
    void everySingleBitFlipOfARealAdvertIsRejected() {
        for (Sample s : SAMPLES) {
            for (int bit = 0; bit < s.message.length * 8; bit++) {
                byte[] p = s.message.clone();
                p[bit / 8] ^= (byte) (1 << (bit % 8));
                DecodeStatus status = decode(p, 0, p.length, s.ipv6, s.src, s.dst, "flip " + bit + " of " + s.name);
                assertThat(status).as("%s with bit %d flipped (seed %d)", s.name, bit, SEED)
                        .isNotEqualTo(DecodeStatus.OK);
            }
        }
    }

    @Test
    void truncationAtEveryLengthIsRejected() {
        for (Sample s : SAMPLES) {
            for (int len = 0; len < s.message.length; len++) {
                assertThat(decode(s.message, 0, len, s.ipv6, s.src, s.dst, "truncated " + s.name))
                        .as("%s cut to %d bytes", s.name, len)
                        .isIn(DecodeStatus.TRUNCATED);
            }
        }
    }

    @Test
    void everyCountValueIsHandled() {
        for (Sample s : SAMPLES) {
            byte[] room = Arrays.copyOf(s.message, VrrpCodec.MAX_LENGTH + 64);
            for (int count = 0; count <= 255; count++) {
                room[3] = (byte) count;
                for (int len : new int[] {s.message.length, room.length, 26, VrrpCodec.messageLength(
                        room[0] >> 4, s.ipv6, count)}) {
                    DecodeStatus status = decode(room, 0, len, s.ipv6, s.src, s.dst, "count " + count);
                    if (count != (s.message[3] & 0xFF)) {
                        assertThat(status).as("%s with count %d, len %d (seed %d)", s.name, count, len, SEED)
                                .isNotEqualTo(DecodeStatus.OK);
                    }
                }
            }
        }
    }

    @Test
    void offsetsAndLengthsOutOfRangeAreTruncated() {
        int[] values = {Integer.MIN_VALUE, -20, -1, 0, 1, 8, 19, 20, 21, 64, Integer.MAX_VALUE - 8, Integer.MAX_VALUE};
        for (Sample s : SAMPLES) {
            for (int off : values) {
                for (int len : values) {
                    boolean inRange = off >= 0 && len >= 0 && (long) off + len <= s.message.length;
                    DecodeStatus status = decode(s.message, off, len, s.ipv6, s.src, s.dst, "off " + off + " len " + len);
                    if (!inRange) {
                        assertThat(status).as("%s off %d len %d", s.name, off, len).isEqualTo(DecodeStatus.TRUNCATED);
                    }
                }
            }
        }
    }

    @Test
    void randomMutationsAndRandomBytesNeverThrow() {
        Random random = new Random(SEED);
        long start = System.nanoTime();
        byte[] buf = new byte[VrrpCodec.MAX_LENGTH + 64];
        for (int i = 0; i < 300_000; i++) {
            Sample s = SAMPLES[random.nextInt(SAMPLES.length)];
            int off = random.nextInt(16);
            Arrays.fill(buf, 0, 96, (byte) 0);
            System.arraycopy(s.message, 0, buf, off, s.message.length);
            int len = s.message.length;
            switch (random.nextInt(6)) {
                case 0 -> { // random bytes over the whole thing
                    for (int b = 0; b < 64; b++) {
                        buf[b] = (byte) random.nextInt();
                    }
                    len = random.nextInt(64 - off + 1);
                }
                case 1 -> len = random.nextInt(s.message.length + 16); // truncated or padded
                case 2 -> buf[off + 3] = (byte) random.nextInt(); // count
                default -> { // a few random bytes changed
                    for (int k = 1 + random.nextInt(4); k > 0; k--) {
                        buf[off + random.nextInt(s.message.length)] = (byte) random.nextInt();
                    }
                }
            }
            boolean ipv6 = random.nextInt(8) == 0 ? !s.ipv6 : s.ipv6;
            if (random.nextBoolean()) {
                // fix the checksum so that mutated packets also get past it and exercise acceptance
                fixChecksumIfPlausible(buf, off, len, ipv6, s);
            }
            byte[] src = random.nextInt(16) == 0 ? pick(random) : s.src;
            byte[] dst = random.nextInt(16) == 0 ? pick(random) : s.dst;
            int ttl = random.nextInt(32) == 0 ? random.nextInt(256) : 255;
            decode(buf, off, len, ipv6, src, dst, ttl, "random case " + i);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("robustness: %d random cases, %d accepted, %d ms, seed %d%n", cases, accepted, millis,
                SEED);
        assertThat(accepted).as("the mutations also exercise acceptance (seed %d)", SEED).isPositive();
    }

    private static byte[] pick(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> new byte[0];
            case 2 -> new byte[4];
            default -> new byte[16];
        };
    }

    private static void fixChecksumIfPlausible(byte[] buf, int off, int len, boolean ipv6, Sample s) {
        if (len < VrrpCodec.HEADER_LENGTH) {
            return;
        }
        int version = (buf[off] & 0xFF) >> 4;
        int length = VrrpCodec.messageLength(version, ipv6, buf[off + 3] & 0xFF);
        if (length > len) {
            return;
        }
        ChecksumForm form = version == 2 ? ChecksumForm.V2 : ChecksumForm.V3_PSEUDO_HEADER;
        if (s.src.length == (ipv6 ? 16 : 4)) {
            Bytes.fixChecksum(buf, off, length, form, ipv6, s.src, s.dst);
        }
    }

    /**
     * Decodes, fails with the seed on any throwable, and checks what an accepted advert claims. Plain
     * checks rather than AssertJ here: this runs hundreds of thousands of times.
     */
    private DecodeStatus decode(byte[] buf, int off, int len, boolean ipv6, byte[] src, byte[] dst, String what) {
        return decode(buf, off, len, ipv6, src, dst, 255, what);
    }

    private DecodeStatus decode(byte[] buf, int off, int len, boolean ipv6, byte[] src, byte[] dst, int ttl,
            String what) {
        cases++;
        DecodeStatus status = null;
        try {
            status = VrrpCodec.decode(buf, off, len, ipv6, src, dst, ttl, advert);
        } catch (Throwable t) {
            fail(describe(what, buf, off, len) + ": decode threw", t);
        }
        if (status == null) {
            fail(describe(what, buf, off, len) + ": no status");
        }
        if (status == DecodeStatus.OK) {
            accepted++;
            checkAccepted(buf, off, len, ipv6, src, dst, what);
        }
        return status;
    }

    private void checkAccepted(byte[] buf, int off, int len, boolean ipv6, byte[] src, byte[] dst, String what) {
        int end = advert.addressesOffset() + advert.addressCount() * advert.addressLength()
                + (advert.version() == 2 ? 8 : 0);
        if ((advert.version() != 2 && advert.version() != 3) || advert.vrid() < 1 || advert.vrid() > 255
                || end != off + advert.length() || end > off + len || advert.buffer() != buf) {
            fail(describe(what, buf, off, len) + ": inconsistent advert " + advert);
        }
        for (int i = 0; i < advert.addressCount(); i++) {
            int index = advert.indexOf(advert.address(i));
            if (index < 0 || index > i) {
                fail(describe(what, buf, off, len) + ": address " + i + " not found, got " + index);
            }
        }
        // what was accepted re-encodes to the same bytes whenever the encoder can express it
        boolean reserved = advert.version() == 3 && (buf[off + 4] & 0xF0) != 0;
        boolean v2Interval0 = advert.version() == 2 && advert.advertIntervalCs() == 0;
        if (!reserved && !v2Interval0) {
            byte[] again = new byte[advert.length()];
            byte[] auth = advert.version() == 2 ? Arrays.copyOfRange(buf, advert.authDataOffset(),
                    advert.authDataOffset() + 8) : null;
            byte[] addresses = Arrays.copyOfRange(buf, advert.addressesOffset(),
                    advert.addressesOffset() + advert.addressCount() * advert.addressLength());
            VrrpCodec.encode(advert.version(), advert.vrid(), advert.priority(), advert.advertIntervalCs(),
                    advert.authType(), auth, addresses, ipv6, advert.checksumForm(), src, dst, again, 0);
            if (!Arrays.equals(again, 0, again.length, buf, off, off + advert.length())) {
                fail(describe(what, buf, off, len) + ": re-encoded as " + Bytes.hex(again, 0, again.length));
            }
        }
    }

    private static String describe(String what, byte[] buf, int off, int len) {
        String bytes = buf == null ? "null" : Bytes.hex(buf, 0, Math.min(buf.length, 96));
        return what + " off " + off + " len " + len + " (seed " + SEED + ", -Dvigil.fuzz.seed=" + SEED + ") " + bytes;
    }
}
