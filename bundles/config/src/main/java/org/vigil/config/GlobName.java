package org.vigil.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Matches one file name against one element of an include pattern, as glob(3) does: {@code *},
 * {@code ?}, {@code [...]} (with {@code !} or {@code ^} to negate, ranges, a leading {@code ]}),
 * {@code \} escapes, and {@code {a,b}} alternatives (glob(3)'s GLOB_BRACE, not nested). A
 * {@code [} or {@code {} without its closing bracket is an ordinary character.
 *
 * <p>Unlike the file system's glob-to-regex matcher, whose {@code [^/]*} per star backtracks
 * exponentially ({@code *a*a*a*a*a*a*a*a*a*a*b} against a long name never finished), a star only
 * ever backtracks to the last star: time is at most pattern length times name length per
 * alternative, and the alternatives are capped at {@link #MAX_ALTERNATIVES}.
 */
final class GlobName {
    /** A pattern that expands to more alternatives than this matches only the first ones. */
    static final int MAX_ALTERNATIVES = 256;

    private GlobName() {
    }

    static boolean matches(String pattern, String name) {
        for (String alternative : alternatives(pattern)) {
            if (matchesOne(alternative, name)) {
                return true;
            }
        }
        return false;
    }

    /** The pattern with its brace groups expanded, at most {@link #MAX_ALTERNATIVES}. */
    static List<String> alternatives(String pattern) {
        List<String> out = new ArrayList<>();
        expand(pattern, out);
        return out;
    }

    private static void expand(String pattern, List<String> out) {
        int open = -1;
        for (int i = 0; i < pattern.length() && open < 0; i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                int end = classEnd(pattern, i);
                i = end < 0 ? i : end;
            } else if (c == '{' && pattern.indexOf('}', i) > 0) {
                open = i;
            }
        }
        if (open < 0) {
            if (out.size() < MAX_ALTERNATIVES) {
                out.add(pattern);
            }
            return;
        }
        int close = pattern.indexOf('}', open);
        String head = pattern.substring(0, open);
        String tail = pattern.substring(close + 1);
        int start = open + 1;
        for (int i = open + 1; i <= close && out.size() < MAX_ALTERNATIVES; i++) {
            if (i == close || pattern.charAt(i) == ',') {
                expand(head + pattern.substring(start, i) + tail, out);
                start = i + 1;
            }
        }
    }

    /** Wildcard match with one backtracking point, the last star. */
    private static boolean matchesOne(String p, String name) {
        int pi = 0;
        int ni = 0;
        int starP = -1;
        int starN = 0;
        while (ni < name.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                starP = ++pi;
                starN = ni;
                continue;
            }
            int next = pi < p.length() ? matchAtom(p, pi, name.charAt(ni)) : -1;
            if (next >= 0) {
                pi = next;
                ni++;
            } else if (starP >= 0) {
                pi = starP;
                ni = ++starN;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    /** If the atom at {@code i} (a character, ?, an escape or a class) matches {@code c}: the index after it, else -1. */
    private static int matchAtom(String p, int i, char c) {
        char a = p.charAt(i);
        if (a == '?') {
            return i + 1;
        }
        if (a == '\\' && i + 1 < p.length()) {
            return p.charAt(i + 1) == c ? i + 2 : -1;
        }
        if (a == '[') {
            int end = classEnd(p, i);
            if (end >= 0) {
                return inClass(p, i, end, c) ? end + 1 : -1;
            }
        }
        return a == c ? i + 1 : -1;
    }

    /** The index of the ] closing the class that opens at {@code open}, or -1. */
    private static int classEnd(String p, int open) {
        int j = open + 1;
        if (j < p.length() && (p.charAt(j) == '!' || p.charAt(j) == '^')) {
            j++;
        }
        if (j < p.length() && p.charAt(j) == ']') {
            j++; // a ] first is a member
        }
        for (; j < p.length(); j++) {
            if (p.charAt(j) == ']') {
                return j;
            }
        }
        return -1;
    }

    private static boolean inClass(String p, int open, int end, char c) {
        int j = open + 1;
        boolean negated = p.charAt(j) == '!' || p.charAt(j) == '^';
        if (negated) {
            j++;
        }
        boolean found = false;
        boolean first = true;
        while (j < end) {
            char lo = p.charAt(j);
            if (lo == ']' && !first) {
                break;
            }
            first = false;
            if (j + 2 < end && p.charAt(j + 1) == '-') {
                char hi = p.charAt(j + 2);
                found |= lo <= c && c <= hi;
                j += 3;
            } else {
                found |= lo == c;
                j++;
            }
        }
        return found != negated;
    }
}
