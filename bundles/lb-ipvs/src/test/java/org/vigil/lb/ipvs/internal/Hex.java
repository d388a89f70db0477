package org.vigil.lb.ipvs.internal;

/** Hex text of bytes, and bytes from hex text with spaces, newlines and '|' as separators. */
final class Hex {
    private Hex() {
    }

    static String of(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    static String clean(String text) {
        return text.replaceAll("[\\s|]", "").toLowerCase(java.util.Locale.ROOT);
    }

    static byte[] bytes(String text) {
        String h = clean(text);
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
