package org.vigil.check.udp.internal;

/**
 * keepalived's free-form hex strings (keepalived.conf(5), UDP_CHECK): words of hex digits taken two
 * at a time from the left, a word's odd last digit being a byte of its own ({@code "Ab12f 3 456"}
 * is AB 12 0F 03 45 06). In a reply pattern an X (either case) matches any four bits.
 *
 * @param bytes the values (0 where a nibble is a wildcard)
 * @param mask  per byte, the bits to ignore (0 when none)
 */
record HexString(byte[] bytes, byte[] mask) {

    /**
     * @param text      the keyword's tokens joined by spaces
     * @param wildcards whether X is allowed (require_reply, not payload)
     * @return null when the text holds no byte or a character that is not a hex digit
     */
    static HexString parse(String text, boolean wildcards) {
        java.io.ByteArrayOutputStream values = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream masks = new java.io.ByteArrayOutputStream();
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            for (int i = 0; i < word.length(); i += 2) {
                boolean single = i + 1 == word.length();
                char hi = single ? '0' : word.charAt(i);
                char lo = single ? word.charAt(i) : word.charAt(i + 1);
                int h = nibble(hi, wildcards);
                int l = nibble(lo, wildcards);
                if (h == -1 || l == -1) {
                    return null;
                }
                values.write((h < 0 ? 0 : h << 4) | (l < 0 ? 0 : l));
                masks.write((h < 0 ? 0xf0 : 0) | (l < 0 ? 0x0f : 0));
            }
        }
        if (values.size() == 0) {
            return null;
        }
        return new HexString(values.toByteArray(), masks.toByteArray());
    }

    /** 0..15, -2 for a wildcard, -1 for anything else. */
    private static int nibble(char c, boolean wildcards) {
        if (wildcards && (c == 'x' || c == 'X')) {
            return -2;
        }
        return Character.digit(c, 16);
    }

    /** keepalived's match: the first min(received, pattern) bytes agree outside the wildcards. */
    boolean matches(java.nio.ByteBuffer received) {
        int n = Math.min(received.remaining(), bytes.length);
        int p = received.position();
        for (int i = 0; i < n; i++) {
            if (((received.get(p + i) ^ bytes[i]) & ~mask[i] & 0xff) != 0) {
                return false;
            }
        }
        return true;
    }
}
