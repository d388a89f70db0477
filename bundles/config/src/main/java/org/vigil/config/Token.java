package org.vigil.config;

/**
 * A word or brace with the place it came from. {@code logicalLine} tells words of one line apart
 * from the next even when an expanded multi-line parameter gives several lines one line number.
 */
record Token(Kind kind, String text, Origin origin, int logicalLine) {

    enum Kind {
        WORD,
        OPEN,
        CLOSE
    }
}
