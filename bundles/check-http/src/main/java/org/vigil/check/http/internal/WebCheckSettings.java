package org.vigil.check.http.internal;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckSpec;

/**
 * An HTTP_GET or SSL_GET block, read once at prepare. keepalived is lenient with most mistakes in
 * this block (a bad status code, digest, regex or http_protocol is reported and left out, a url
 * without path is dropped), so this is too: each is reported through {@code warn} with the
 * block's origin, and only a block left without any url is refused.
 *
 * @param ssl          SSL_GET
 * @param urls         the url blocks, in order
 * @param virtualhost  the block's virtualhost (a url's own wins), or null
 * @param protocol     http_protocol
 * @param enableSni    enable_sni: send the virtualhost as TLS server name
 * @param fastRecovery fast_recovery (read for completeness: scheduling is the checker's)
 */
record WebCheckSettings(boolean ssl, List<UrlTest> urls, String virtualhost, HttpProtocol protocol,
        boolean enableSni, boolean fastRecovery) {

    /** The block's own keywords (CheckProperties maps {@code http_protocol} to "http.protocol"). */
    @interface Keywords {
        String virtualhost() default "";

        String http_protocol() default "1.0";

        /** Absent: off. The bare keyword (no token): on. Or a boolean token. */
        String[] enable_sni() default { "off" };

        String[] fast_recovery() default { "off" };
    }

    /** One url sub-block. */
    @interface UrlKeywords {
        String path() default "";

        String digest() default "";

        String[] status_code() default {};

        String virtualhost() default "";

        String regex() default "";

        String[] regex_no_match() default { "off" };

        String regex_min_offset() default "";

        String regex_max_offset() default "";

        String[] regex_options() default {};
    }

    /**
     * @throws IllegalArgumentException when no usable url is left, in keepalived's words
     */
    static WebCheckSettings parse(CheckSpec spec, boolean ssl, Consumer<String> warn) {
        CheckProperties props = spec.properties();
        Keywords k = props.as(Keywords.class);
        HttpProtocol protocol = HttpProtocol.of(k.http_protocol()).orElseGet(() -> {
            warn.accept("Invalid http_protocol version " + k.http_protocol());
            return HttpProtocol.V1_0;
        });
        List<UrlTest> urls = new ArrayList<>();
        for (CheckProperties block : props.blocks("url")) {
            UrlTest url = url(block.as(UrlKeywords.class), warn);
            if (url != null) {
                urls.add(url);
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("HTTP/SSL_GET checker has no urls specified - ignoring");
        }
        return new WebCheckSettings(ssl, List.copyOf(urls), emptyToNull(k.virtualhost()), protocol,
                flag(k.enable_sni(), "enable_sni", warn), flag(k.fast_recovery(), "fast_recovery", warn));
    }

    private static UrlTest url(UrlKeywords u, Consumer<String> warn) {
        if (u.path().isEmpty()) {
            warn.accept("HTTP/SSL_GET checker url has no path - ignoring");
            return null;
        }
        byte[] digest = digest(u.digest(), warn);
        StatusCodes codes = StatusCodes.parse(u.status_code(), bad -> warn.accept("Invalid HTTP_GET status code '" + bad + "'"));
        Pattern regex = null;
        boolean noMatch = flag(u.regex_no_match(), "regex_no_match", warn);
        int min = offset(u.regex_min_offset(), "min", warn);
        int max = u.regex_max_offset().isEmpty() ? -1 : offset(u.regex_max_offset(), "max", warn);
        if (!u.regex().isEmpty()) {
            try {
                regex = Pattern.compile(u.regex(), regexFlags(u.regex_options(), warn));
            } catch (PatternSyntaxException e) {
                warn.accept("Invalid regex: '" + u.regex() + "' at offset " + e.getIndex() + ": " + e.getDescription());
            }
        } else if (noMatch || min > 0 || max >= 0 || u.regex_options().length > 0) {
            warn.accept("regex parameters specified without regex");
            noMatch = false;
            min = 0;
            max = -1;
        }
        if (max >= 0 && min > max) {
            warn.accept("regex min offset " + min + " > regex_max_offset " + max + " - ignoring");
            min = 0;
            max = -1;
        }
        return new UrlTest(u.path(), digest, codes, emptyToNull(u.virtualhost()), regex, noMatch, min, max);
    }

    private static byte[] digest(String hex, Consumer<String> warn) {
        if (hex.isEmpty()) {
            return null;
        }
        if (hex.length() != 32) {
            warn.accept("digest '" + hex + "' character length should be 32 rather than " + hex.length());
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            warn.accept("Unable to interpret hex digit in '" + hex + "'");
            return null;
        }
    }

    private static int offset(String text, String which, Consumer<String> warn) {
        if (text.isEmpty()) {
            return 0;
        }
        try {
            int v = Integer.parseInt(text);
            if (v < 0) {
                throw new NumberFormatException(text);
            }
            return v;
        } catch (NumberFormatException e) {
            warn.accept("Invalid regex_" + which + "_offset " + text + " specified");
            return 0;
        }
    }

    /**
     * keepalived's regex_options are PCRE2 flags; those java.util.regex has are mapped, the
     * others reported and left out. The body is matched as ISO-8859-1 (a char per byte), so
     * offsets are byte offsets as in keepalived.
     */
    private static int regexFlags(String[] options, Consumer<String> warn) {
        int flags = 0;
        for (String o : options) {
            switch (o) {
                case "caseless" -> flags |= Pattern.CASE_INSENSITIVE;
                case "multiline" -> flags |= Pattern.MULTILINE;
                case "dotall" -> flags |= Pattern.DOTALL;
                case "extended" -> flags |= Pattern.COMMENTS;
                case "ucp" -> flags |= Pattern.UNICODE_CHARACTER_CLASS;
                case "no_auto_capture", "no_auto_possess", "no_start_optimize", "no_dotstar_anchor", "never_utf",
                        "never_ucp", "never_backslash_c" -> {
                    // optimisation or safety switches of PCRE2: no meaning for java.util.regex
                }
                default -> warn.accept("regex option " + o + " is not supported by Vigil - ignoring");
            }
        }
        return flags;
    }

    /** A keepalived flag keyword: absent is the annotation default; the bare keyword is on. */
    private static boolean flag(String[] tokens, String keyword, Consumer<String> warn) {
        if (tokens.length == 0) {
            return true;
        }
        return switch (tokens[0].toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> {
                warn.accept("Invalid " + keyword + " parameter " + tokens[0]);
                yield false;
            }
        };
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
