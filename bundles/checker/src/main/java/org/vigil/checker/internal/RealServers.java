package org.vigil.checker.internal;

import java.lang.reflect.Array;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckerPids;
import org.vigil.api.config.PropertyTypes;

/**
 * The real servers (and sorry server) carried by a virtual server's configuration, keys
 * {@code real.server.N.*} (see {@link CheckerPids}), read typed through {@link Config}. The
 * checker diffs them by identity, so a change of one keeps the others' verdicts (keepalived
 * issue #373 and friends: state wrong after reload).
 */
final class RealServers {
    private static final Logger LOG = LoggerFactory.getLogger(RealServers.class);

    private RealServers() {
    }

    /**
     * keepalived's real_server keywords, underscores as dots; times in seconds, negative: not set
     * (the virtual server's). The check blocks ({@code check.N.*}) are read from the properties as
     * tokens, see {@link CheckerPids}.
     */
    @interface Config {
        String address() default "";

        int port() default 0;

        /** true for the sorry_server */
        boolean sorry() default false;

        int weight() default 1;

        /** absent: the virtual server's */
        boolean inhibit_on_failure() default false;

        /** absent: the virtual server's */
        boolean alpha() default false;

        String lvs_method() default "";

        int retry() default -1;

        double delay_before_retry() default -1;

        double warmup() default -1;

        double delay_loop() default -1;

        double connect_timeout() default -1;

        String notify_up() default "";

        String notify_down() default "";

        /** notify_up's user; empty for script_user or the default */
        String notify_up_user() default "";

        /** notify_up's group; empty for the user's own */
        String notify_up_group() default "";

        /** notify_up's user :[GROUP]: also the user's supplementary groups */
        boolean notify_up_supplementary_groups() default false;

        String notify_down_user() default "";

        String notify_down_group() default "";

        boolean notify_down_supplementary_groups() default false;

        /** mail this real server's changes (keepalived's smtp_alert: on unless global_defs says) */
        boolean smtp_alert() default true;

        String vigil_origin() default "";
    }

    /** A check block's own origin key ("check.N.vigil.origin"), written by the bridge. */
    static final String BLOCK_ORIGIN = "vigil.origin";

    private static final String PREFIX = "real.server.";

    /**
     * Every real server of a virtual server's properties, in index order. One pass over the keys
     * (a virtual server may carry 10,000 real servers). A real server that does not read is
     * one line naming the configuration's PID and the attribute, and is left out; the others stay.
     */
    static List<RsSettings> read(String pid, String vsKey, Map<String, ?> props) {
        TreeMap<Integer, Map<String, Object>> byIndex = new TreeMap<>();
        for (Map.Entry<String, ?> e : props.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith(PREFIX)) {
                continue;
            }
            int dot = k.indexOf('.', PREFIX.length());
            if (dot < 0) {
                continue; // real.server.count
            }
            int n;
            try {
                n = Integer.parseInt(k, PREFIX.length(), dot, 10);
            } catch (NumberFormatException ex) {
                continue;
            }
            byIndex.computeIfAbsent(n, i -> new HashMap<>()).put(k.substring(dot + 1), e.getValue());
        }
        List<RsSettings> reals = new ArrayList<>(byIndex.size());
        byIndex.forEach((n, rs) -> {
            Map<String, List<String>> own = new HashMap<>();
            rs.forEach((k, v) -> {
                if (!k.startsWith("check.")) {
                    own.put(k, tokens(v));
                }
            });
            try {
                reals.add(settings(vsKey, new CheckProperties(own).as(Config.class), own.keySet(), rs));
            } catch (IllegalArgumentException e) {
                // the bridge validated it; a hand-written configuration may not have been. The line
                // starts with the real server's file:line when the configuration has one.
                Object origin = rs.get(BLOCK_ORIGIN);
                LOG.error("{}Configuration {}: {}; real server left out",
                        origin == null || String.valueOf(origin).isBlank() ? "" : origin + ": ", pid,
                        e.getMessage().replaceFirst("^attribute ", "attribute " + CheckerPids.realServerPrefix(n)));
            }
        });
        return reals;
    }

    /**
     * A real server's settings; IllegalArgumentException "attribute KEY: reason" (KEY after the
     * real server's prefix) when one does not read.
     *
     * @param given the keys the configuration sets: an absent inhibit_on_failure or alpha is the virtual server's
     */
    static RsSettings settings(String vsKey, Config raw, java.util.Set<String> given, Map<String, ?> props) {
        Config c = PropertyTypes.check(raw);
        if (c.address().isBlank()) {
            throw new IllegalArgumentException("attribute " + CheckerPids.ADDRESS + ": required");
        }
        if (c.port() < 0 || c.port() > 65535) {
            throw new IllegalArgumentException("attribute " + CheckerPids.PORT + ": " + c.port() + " not in 0..65535");
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(ServiceKeys.literal(c.address().trim()), c.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attribute " + CheckerPids.ADDRESS + ": " + e.getMessage(), e);
        }
        Boolean inhibit = given.contains("inhibit.on.failure") ? c.inhibit_on_failure() : null;
        Boolean alpha = given.contains("alpha") ? c.alpha() : null;
        return new RsSettings(vsKey, address, c.sorry(), c.weight(), inhibit, alpha, c.lvs_method(), c.retry(),
                c.delay_before_retry(), c.warmup(), c.delay_loop(), c.connect_timeout(), c.notify_up(), c.notify_down(),
                blocks(props, c.vigil_origin()), c.vigil_origin(), c.smtp_alert(),
                VirtualServerComponent.runAs("notify.up.", c.notify_up_user(), c.notify_up_group(),
                        c.notify_up_supplementary_groups()),
                VirtualServerComponent.runAs("notify.down.", c.notify_down_user(), c.notify_down_group(),
                        c.notify_down_supplementary_groups()));
    }

    /**
     * The check blocks: {@code check.N.vigil.type} and every {@code check.N.keyword} as its tokens;
     * the blocks are the N that have a type (no count is kept beside them, to fall out of step).
     */
    static List<RsSettings.Block> blocks(Map<String, ?> props, String origin) {
        int n = 0;
        for (String k : props.keySet()) {
            if (k.startsWith("check.") && k.endsWith(".vigil.type")) {
                try {
                    n = Math.max(n, Integer.parseInt(k.substring(6, k.length() - ".vigil.type".length())) + 1);
                } catch (NumberFormatException e) {
                    // not a block key
                }
            }
        }
        List<RsSettings.Block> blocks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> type = tokens(props.get(CheckerPids.checkType(i)));
            if (type.isEmpty()) {
                LOG.warn("{}: check block {} has no type; ignored", origin, i);
                continue;
            }
            String prefix = CheckerPids.checkPrefix(i);
            Map<String, List<String>> values = new TreeMap<>();
            for (Map.Entry<String, ?> e : props.entrySet()) {
                String k = e.getKey();
                if (k.startsWith(prefix) && !k.equals(CheckerPids.checkType(i))) {
                    values.put(k.substring(prefix.length()), tokens(e.getValue()));
                }
            }
            // the bridge marks each block with its file:line; it is no keyword of the block
            List<String> where = values.remove(BLOCK_ORIGIN);
            blocks.add(new RsSettings.Block(type.get(0).toUpperCase(java.util.Locale.ROOT), new CheckProperties(values),
                    where == null || where.isEmpty() ? origin : where.get(0)));
        }
        return blocks;
    }

    /** String[] as written; a lone value (String, number, boolean) as one token. */
    static List<String> tokens(Object v) {
        List<String> t = new ArrayList<>();
        if (v == null) {
            return t;
        }
        if (v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                t.add(String.valueOf(Array.get(v, i)));
            }
        } else if (v instanceof Collection<?> c) {
            c.forEach(x -> t.add(String.valueOf(x)));
        } else {
            t.add(String.valueOf(v));
        }
        return t;
    }
}
