package org.vigil.check.udp.internal;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.vigil.api.check.CheckProperties;

/**
 * A UDP_CHECK block read once. As keepalived 2.2.7 does, a bad value is reported and ignored
 * (the default stays), not fatal.
 *
 * @param payload        the datagram sent; without {@code payload}, random bytes
 * @param randomPayload  whether the payload is random (a fresh one each attempt)
 * @param requireReply   a reply must come within connect_timeout
 * @param reply          the reply pattern of {@code require_reply HEX}, or null for any reply
 * @param minReplyLength with a pattern, the shortest reply that passes (default 0)
 * @param maxReplyLength with a pattern, the longest (default 255)
 */
record UdpSettings(byte[] payload, boolean randomPayload, boolean requireReply, HexString reply, int minReplyLength,
        int maxReplyLength) {

    /** The size of keepalived's own datagram when no payload is configured. */
    static final int RANDOM_PAYLOAD = 32;
    static final int DEFAULT_MAX_REPLY = 255;
    static final int LONGEST = 65535;

    static UdpSettings parse(CheckProperties p, Consumer<String> warnings) {
        byte[] payload = null;
        if (p.tokens("payload").isPresent()) {
            List<String> t = p.tokens("payload").get();
            HexString h = t.isEmpty() ? null : HexString.parse(String.join(" ", t), false);
            if (t.isEmpty()) {
                warnings.accept("UDP_CHECK payload requires a payload");
            } else if (h == null) {
                warnings.accept("Invalid hex string for UDP_CHECK payload");
            } else {
                payload = h.bytes();
            }
        }
        boolean requireReply = p.tokens("require.reply").isPresent();
        HexString reply = null;
        List<String> r = p.tokens("require.reply").orElse(List.of());
        if (!r.isEmpty()) {
            reply = HexString.parse(String.join(" ", r), true);
            if (reply == null) {
                warnings.accept("Invalid hex string for UDP_CHECK reply");
            }
        }
        int min = length(p, "min.reply.length", "min", 0, warnings);
        int max = length(p, "max.reply.length", "max", DEFAULT_MAX_REPLY, warnings);
        if (min > max) {
            warnings.accept("UDP_CHECK min_reply length " + min + " > max_reply_length " + max + " - will always fail");
        }
        return new UdpSettings(payload == null ? new byte[RANDOM_PAYLOAD] : payload, payload == null, requireReply, reply,
                min, max);
    }

    private static int length(CheckProperties p, String key, String word, int fallback, Consumer<String> warnings) {
        String v = p.get(key).orElse(null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0 && n <= LONGEST) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        warnings.accept("UDP_CHECK " + word + " length " + v + " not valid - must be between 0 & " + LONGEST);
        return fallback;
    }

    /** The datagram of one attempt. */
    byte[] datagram() {
        if (!randomPayload) {
            return payload;
        }
        byte[] b = new byte[RANDOM_PAYLOAD];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** Whether a reply passes: any reply without a pattern; with one, its length and its bytes (keepalived's rule). */
    boolean accepts(java.nio.ByteBuffer datagram) {
        if (reply == null) {
            return true;
        }
        int len = datagram.remaining();
        return len >= minReplyLength && len <= maxReplyLength && reply.matches(datagram);
    }
}
