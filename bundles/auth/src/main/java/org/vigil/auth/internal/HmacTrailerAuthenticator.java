package org.vigil.auth.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.auth.HmacAuthenticator;
import org.vigil.api.auth.HmacMode;
import org.vigil.api.auth.HmacResult;
import org.vigil.api.auth.HmacSession;
import org.vigil.api.auth.HmacSettings;

/**
 * {@code auth_hmac}: the HMAC-SHA256/128 trailer keepalived 2.4.1 appends to adverts
 * (draft-cassen-vrrp-auth-hmac; the layout is in {@link HmacSession}). Written from the draft's
 * description and checked against its appendix vectors (HmacTrailerTest).
 */
@Component(service = HmacAuthenticator.class)
public class HmacTrailerAuthenticator implements HmacAuthenticator {

    @Override
    public HmacSession newSession(HmacSettings settings) {
        return new Session(settings, HmacTrailerAuthenticator::realtimeSequence);
    }

    /** The clock as a sequence number: UTC seconds in the high 32 bits, a 1/65536 s fraction, counter 0. */
    static long realtimeSequence() {
        long millis = System.currentTimeMillis();
        long seconds = millis / 1000;
        long fraction = ((millis % 1000) << 16) / 1000;
        return (seconds << 32) | (fraction << 16);
    }

    static final class Session implements HmacSession {
        /** The trailer's ext_type for HMAC-SHA256 truncated to 128 bits, the only scheme defined. */
        static final int SCHEME_SHA256_128 = 1;
        static final int PSEUDO_HEADER_LENGTH = 20;
        static final int TAG_LENGTH = 16;
        /** Offsets inside the trailer. */
        static final int SCHEME = 0;
        static final int KEY_ID = 1;
        static final int RESERVED = 2;
        static final int SEQUENCE = 4;
        static final int TAG = 12;
        /** The VRRP checksum field, read as zero by the HMAC (RFC 5798 5.1, RFC 3768 5.1). */
        static final int CHECKSUM_OFFSET = 6;
        /**
         * Replay marks kept for multicast senders: concurrent senders of one VRID only exist while
         * they contend, so a few slots, reused least recently used first, are enough (keepalived keeps 4).
         */
        static final int SENDER_SLOTS = 4;
        private static final byte[] ZEROS = new byte[TAG_LENGTH];

        private final HmacSettings settings;
        private final LongSupplier clock;
        private final Map<Integer, Mac> macs = new HashMap<>();
        private final byte[] pseudo = new byte[PSEUDO_HEADER_LENGTH];
        private final byte[] digest = new byte[32];
        private long sendSequence;
        private final byte[][] senders = new byte[SENDER_SLOTS][];
        private final long[] marks = new long[SENDER_SLOTS];
        private final long[] lastUsed = new long[SENDER_SLOTS];
        private long useClock;
        /** The slot and sequence verify() last passed; -1 when none waits for accept(). */
        private int pendingSlot = -1;
        private long pendingSequence;
        private final byte[] pendingSource = new byte[16];
        private int pendingSourceLength;
        private int skew;

        Session(HmacSettings settings, LongSupplier clock) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.clock = clock;
            for (int id : settings.keyIds()) {
                byte[] key = settings.key(id);
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(key, "HmacSHA256"));
                    macs.put(id, mac);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
        }

        @Override
        public HmacSettings settings() {
            return settings;
        }

        @Override
        public boolean signs() {
            return settings.mode() != HmacMode.RECEIVE_ONLY;
        }

        @Override
        public boolean acceptsUnsigned() {
            return settings.mode() != HmacMode.ENFORCE;
        }

        // ---- send ---------------------------------------------------------------------------

        @Override
        public void sign(byte[] buffer, int offset, int length, int version, int vrid, byte[] source) {
            int t = offset + length;
            long seq = nextSequence();
            buffer[t + SCHEME] = (byte) SCHEME_SHA256_128;
            buffer[t + KEY_ID] = (byte) settings.activeKey();
            buffer[t + RESERVED] = 0;
            buffer[t + RESERVED + 1] = 0;
            putLong(buffer, t + SEQUENCE, seq);
            tag(macs.get(settings.activeKey()), buffer, offset, length, version, vrid, source);
            System.arraycopy(digest, 0, buffer, t + TAG, TAG_LENGTH);
        }

        /**
         * The clock when it is ahead of the last number sent, else that number plus one (the
         * counter carries into the timestamp). In time mode a last number stranded more than the
         * window ahead of the clock (a clock stepped back) restarts from the clock, since no
         * receiver would accept it; monotonic mode keeps strict growth, its only guarantee.
         */
        private long nextSequence() {
            long now = clock.getAsLong();
            if (after(now, sendSequence)) {
                sendSequence = now;
            } else if (settings.timeAntiReplay()
                    && (int) ((sendSequence >>> 32) - (now >>> 32)) > settings.timeWindowSeconds()) {
                sendSequence = now;
            } else {
                sendSequence++;
            }
            return sendSequence;
        }

        // ---- receive ------------------------------------------------------------------------

        @Override
        public HmacResult verify(byte[] buffer, int offset, int length, int version, int vrid, byte[] source) {
            pendingSlot = -1;
            int t = offset + length;
            if ((buffer[t + SCHEME] & 0xff) != SCHEME_SHA256_128 || buffer[t + RESERVED] != 0
                    || buffer[t + RESERVED + 1] != 0) {
                return HmacResult.MALFORMED;
            }
            long seq = getLong(buffer, t + SEQUENCE);
            long nowSequence = clock.getAsLong();
            if (settings.timeAntiReplay()) {
                // before the costly HMAC, so replayed captures cannot buy a digest each; it only rejects
                skew = (int) ((nowSequence >>> 32) - (seq >>> 32));
                if (Math.abs((long) skew) > settings.timeWindowSeconds()) {
                    return HmacResult.STALE;
                }
            }
            Mac mac = macs.get(buffer[t + KEY_ID] & 0xff);
            if (mac == null) {
                return HmacResult.UNKNOWN_KEY;
            }
            tag(mac, buffer, offset, length, version, vrid, source);
            int diff = 0;
            for (int i = 0; i < TAG_LENGTH; i++) {
                diff |= digest[i] ^ buffer[t + TAG + i];
            }
            if (diff != 0) {
                return HmacResult.BAD_HMAC;
            }
            // only an authentic advert may claim a slot, so forged sources cannot churn the marks
            int slot = slotOf(source);
            if (slot >= 0) {
                long mark = marks[slot];
                boolean expired = settings.timeAntiReplay()
                        && Math.abs((long) (int) ((nowSequence >>> 32) - (mark >>> 32))) > settings.timeWindowSeconds();
                if (!expired && !after(seq, mark)) {
                    return HmacResult.REPLAY;
                }
            }
            pendingSlot = slot >= 0 ? slot : Integer.MAX_VALUE;
            pendingSequence = seq;
            pendingSourceLength = source.length;
            System.arraycopy(source, 0, pendingSource, 0, source.length);
            return HmacResult.OK;
        }

        @Override
        public void accept() {
            if (pendingSlot < 0) {
                return;
            }
            int slot = pendingSlot == Integer.MAX_VALUE ? claimSlot() : pendingSlot;
            marks[slot] = pendingSequence;
            lastUsed[slot] = ++useClock;
            pendingSlot = -1;
        }

        @Override
        public int lastSkewSeconds() {
            return skew;
        }

        private int slotOf(byte[] source) {
            for (int i = 0; i < SENDER_SLOTS; i++) {
                byte[] s = senders[i];
                if (s != null && Arrays.equals(s, 0, s.length, source, 0, source.length)) {
                    return i;
                }
            }
            return -1;
        }

        /** The pending sender's new slot: an empty one, else the least recently used. */
        private int claimSlot() {
            int victim = 0;
            for (int i = 0; i < SENDER_SLOTS; i++) {
                if (senders[i] == null) {
                    victim = i;
                    break;
                }
                if (lastUsed[i] < lastUsed[victim]) {
                    victim = i;
                }
            }
            senders[victim] = Arrays.copyOf(pendingSource, pendingSourceLength);
            return victim;
        }

        /**
         * HMAC-SHA256 into {@link #digest}: pseudo-header, the message with its checksum as zero,
         * the trailer's first 12 bytes, 16 zeros for the tag. The buffer is never changed.
         */
        private void tag(Mac mac, byte[] buffer, int offset, int length, int version, int vrid, byte[] source) {
            Arrays.fill(pseudo, (byte) 0);
            pseudo[0] = (byte) (source.length == 16 ? 6 : 4);
            pseudo[1] = (byte) version;
            pseudo[2] = (byte) vrid;
            System.arraycopy(source, 0, pseudo, 4, source.length);
            mac.update(pseudo);
            mac.update(buffer, offset, CHECKSUM_OFFSET);
            mac.update(ZEROS, 0, 2);
            mac.update(buffer, offset + CHECKSUM_OFFSET + 2, length - CHECKSUM_OFFSET - 2);
            mac.update(buffer, offset + length, TAG);
            mac.update(ZEROS, 0, TAG_LENGTH);
            try {
                mac.doFinal(digest, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
        }

        /** RFC 1982 serial arithmetic over 64 bits: {@code a} comes after {@code b}. */
        static boolean after(long a, long b) {
            return a - b > 0;
        }

        private static void putLong(byte[] b, int off, long v) {
            for (int i = 7; i >= 0; i--) {
                b[off + i] = (byte) v;
                v >>>= 8;
            }
        }

        private static long getLong(byte[] b, int off) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (b[off + i] & 0xff);
            }
            return v;
        }
    }
}
