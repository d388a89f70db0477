package org.vigil.check.http.internal;

import java.util.regex.Pattern;

/**
 * One {@code url} block: what to fetch and the tests its reply must pass, in keepalived's order
 * (status code, then digest, then regex).
 *
 * @param path        the request target, as written
 * @param digest      the MD5 the body must have (16 bytes), or null for none
 * @param statusCodes the accepted status codes (default 200-299)
 * @param virtualhost this url's own virtualhost, or null
 * @param regex       a pattern to look for in the body, or null
 * @param regexNoMatch the url passes when the regex does NOT match
 * @param regexMinOffset the match must start at or after this body offset
 * @param regexMaxOffset the match must start at or before this body offset, or -1 for no bound
 */
record UrlTest(String path, byte[] digest, StatusCodes statusCodes, String virtualhost, Pattern regex,
        boolean regexNoMatch, int regexMinOffset, int regexMaxOffset) {
}
