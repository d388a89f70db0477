package org.vigil.check.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads one reply as keepalived does: the header ends at the first CRLF CRLF; the status code is
 * the number after the first space; the body is everything after the header, cut at
 * Content-Length when the header has one, and is not decoded (a chunked body is hashed as it
 * travels, like keepalived and its genhash). The body feeds an MD5 as it arrives and, for a
 * regex, a bounded copy. Single-threaded: the I/O thread feeds it, then hands it over whole.
 */
final class ResponseReader {
    /** A header longer than this is not a reply we will ever read to its end. */
    static final int MAX_HEADER = 64 * 1024;

    private final MessageDigest md5;
    private final int keepBody;

    private byte[] header = new byte[1024];
    private int headerLength;
    private boolean headerDone;
    private int status;
    private long contentLength = -1;
    private long bodyBytes;
    private byte[] kept = new byte[0];
    private int keptLength;
    private boolean overflow;

    /** @param keepBody how many body bytes to keep for a regex (0: none) */
    ResponseReader(int keepBody) {
        this.keepBody = keepBody;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    /** Takes what was read; returns false once the reply is complete (Content-Length reached). */
    boolean accept(ByteBuffer data) {
        while (data.hasRemaining() && !headerDone) {
            if (headerLength == MAX_HEADER) {
                overflow = true;
                data.position(data.limit());
                return false;
            }
            if (headerLength == header.length) {
                header = Arrays.copyOf(header, Math.min(MAX_HEADER, header.length * 2));
            }
            header[headerLength++] = data.get();
            if (headerLength >= 4 && header[headerLength - 4] == '\r' && header[headerLength - 3] == '\n'
                    && header[headerLength - 2] == '\r' && header[headerLength - 1] == '\n') {
                headerDone = true;
                parseHeader();
            }
        }
        if (headerDone && data.hasRemaining()) {
            body(data);
        }
        return !complete();
    }

    private void body(ByteBuffer data) {
        int n = data.remaining();
        if (contentLength >= 0) {
            n = (int) Math.min(n, Math.max(0, contentLength - bodyBytes));
        }
        if (n > 0) {
            int start = data.position();
            md5.update(data.array(), data.arrayOffset() + start, n);
            int keep = (int) Math.min(n, Math.max(0, keepBody - bodyBytes));
            if (keep > 0) {
                if (kept.length < keptLength + keep) {
                    kept = Arrays.copyOf(kept, Math.min(keepBody, Math.max(keptLength + keep, kept.length * 2)));
                }
                System.arraycopy(data.array(), data.arrayOffset() + start, kept, keptLength, keep);
                keptLength += keep;
            }
            bodyBytes += n;
        }
        // what follows the declared body is not hashed (keepalived stops its digest there too)
        data.position(data.limit());
    }

    private void parseHeader() {
        String text = new String(header, 0, headerLength, StandardCharsets.ISO_8859_1);
        status = statusCode(text);
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                contentLength = leadingNumber(line.substring(colon + 1));
                break;
            }
        }
    }

    /** The number between the first and the second space (0 when there is none), as keepalived reads it. */
    static int statusCode(String header) {
        int first = header.indexOf(' ');
        if (first < 0) {
            return 0;
        }
        int end = first + 1;
        while (end < header.length() && header.charAt(end) != ' ' && header.charAt(end) != '\r') {
            end++;
        }
        long n = leadingNumber(header.substring(first + 1, end));
        return n > Integer.MAX_VALUE ? 0 : (int) n;
    }

    /** atoi's reading: leading blanks, then digits; none gives 0. */
    static long leadingNumber(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        long n = 0;
        for (; i < s.length() && Character.isDigit(s.charAt(i)) && n < Long.MAX_VALUE / 10 - 9; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }

    boolean complete() {
        return headerDone && contentLength >= 0 && bodyBytes >= contentLength;
    }

    /** A complete header arrived (else: "no data received"). */
    boolean headerDone() {
        return headerDone;
    }

    /** Anything at all arrived: a read timeout then is "Timeout HTTP read", not "Timeout WEB read". */
    boolean anyData() {
        return headerLength > 0;
    }

    boolean headerOverflow() {
        return overflow;
    }

    int status() {
        return status;
    }

    /** Content-Length, or -1 when the header has none. */
    long contentLength() {
        return contentLength;
    }

    long bodyBytes() {
        return bodyBytes;
    }

    /** MD5 of the body; call once, at the end. */
    byte[] digest() {
        return md5.digest();
    }

    /** The body as a char per byte (ISO-8859-1), up to the kept limit, for the regex. */
    String keptBody() {
        return new String(kept, 0, keptLength, StandardCharsets.ISO_8859_1);
    }
}
