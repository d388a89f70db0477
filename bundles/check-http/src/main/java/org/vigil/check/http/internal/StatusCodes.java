package org.vigil.check.http.internal;

import java.util.BitSet;
import java.util.function.Consumer;

/** The status codes a url accepts: keepalived's {@code status_code 200 301-302 ...}, within 100-599. */
final class StatusCodes {
    static final int MIN = 100;
    static final int MAX = 599;

    private final BitSet codes;

    private StatusCodes(BitSet codes) {
        this.codes = codes;
    }

    /** keepalived's default when a url names none: 200-299. */
    static StatusCodes defaults() {
        BitSet b = new BitSet();
        b.set(200, 300);
        return new StatusCodes(b);
    }

    /**
     * Parses the tokens; a token that is not a code or a range within 100-599 is reported to
     * {@code invalid} and skipped, as keepalived does. No valid token at all gives the default.
     */
    static StatusCodes parse(String[] tokens, Consumer<String> invalid) {
        BitSet b = new BitSet();
        for (String token : tokens) {
            int dash = token.indexOf('-', 1);
            try {
                int min = Integer.parseInt(dash < 0 ? token : token.substring(0, dash));
                int max = dash < 0 ? min : Integer.parseInt(token.substring(dash + 1));
                if (min < MIN || max > MAX || min > max) {
                    invalid.accept(token);
                    continue;
                }
                b.set(min, max + 1);
            } catch (NumberFormatException e) {
                invalid.accept(token);
            }
        }
        return b.isEmpty() ? defaults() : new StatusCodes(b);
    }

    boolean accepts(int code) {
        return code >= MIN && code <= MAX && codes.get(code);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int from = codes.nextSetBit(0); from >= 0; from = codes.nextSetBit(from)) {
            int to = codes.nextClearBit(from) - 1;
            s.append(s.length() > 0 ? " " : "").append(from).append(from == to ? "" : "-" + to);
            from = to + 1;
        }
        return s.toString();
    }
}
