package org.vigil.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One checker block of a real server (TCP_CHECK, HTTP_GET, a third party's REDIS_CHECK), kept as
 * tokens: the bridge cannot know every type's grammar. Keys are the keywords with dots for
 * underscores ({@code connect_timeout} is {@code connect.timeout}), a sub-block's keys are
 * {@code name.M.keyword} ({@code url.0.path}), a bare keyword has no tokens. The old name
 * {@code nb_get_retry} is stored as {@code retry}. Keywords keepalived would reject (a bad
 * connect_port, say) were reported and left out.
 *
 * @param type     the block name as written ("HTTP_GET")
 * @param keywords dotted key to its tokens, in file order
 * @param origin   where the block starts
 */
public record CheckBlock(String type, Map<String, List<String>> keywords, Origin origin) {

    /** The checker types keepalived 2.2.7 knows; any other block name is a Vigil extension type. */
    public static final Set<String> KEEPALIVED_TYPES = Set.of("HTTP_GET", "SSL_GET", "TCP_CHECK", "SMTP_CHECK",
            "DNS_CHECK", "MISC_CHECK", "BFD_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK");

    public CheckBlock {
        LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
        keywords.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        keywords = Collections.unmodifiableMap(copy);
    }

    /** Whether keepalived itself knows this type. */
    public boolean keepalivedType() {
        return KEEPALIVED_TYPES.contains(type);
    }

    /** The tokens of a key, or null. */
    public List<String> tokens(String key) {
        return keywords.get(key);
    }
}
