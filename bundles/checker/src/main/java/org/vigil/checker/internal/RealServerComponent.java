package org.vigil.checker.internal;

import java.lang.reflect.Array;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckerPids;

/**
 * One real_server (or sorry_server) from a factory configuration, with its check blocks. A change
 * of the same identity is applied in place: checks whose settings did not change keep their
 * verdict (keepalived issue #373 and friends: state wrong after reload).
 */
@Component(configurationPid = CheckerPids.REAL_SERVER, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = RealServerComponent.Config.class, factory = true)
public class RealServerComponent {
    private static final Logger LOG = LoggerFactory.getLogger(RealServerComponent.class);

    /**
     * keepalived's real_server keywords, underscores as dots; times in seconds, negative: not set
     * (the virtual server's). The check blocks ({@code check.count}, {@code check.N.*}) are read
     * from the properties as tokens, see {@link CheckerPids}.
     */
    @ObjectClassDefinition(name = "Real server", description = "One real_server or sorry_server of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "the virtual server's key (virtual.server)")
        String virtual_server();

        String address();

        int port() default 0;

        @AttributeDefinition(description = "true for the sorry_server")
        boolean sorry() default false;

        int weight() default 1;

        @AttributeDefinition(description = "true, false, or empty for the virtual server's")
        String inhibit_on_failure() default "";

        @AttributeDefinition(description = "true, false, or empty for the virtual server's")
        String alpha() default "";

        String lvs_method() default "";

        int retry() default -1;

        double delay_before_retry() default -1;

        double warmup() default -1;

        double delay_loop() default -1;

        double connect_timeout() default -1;

        String notify_up() default "";

        String notify_down() default "";

        int check_count() default 0;

        String vigil_origin() default "";
    }

    /** A check block's own origin key ("check.N.vigil.origin"), written by the bridge. */
    static final String BLOCK_ORIGIN = "vigil.origin";

    private final Checker checker;
    private final String pid;

    @Activate
    public RealServerComponent(@Reference Checker checker, Config config, Map<String, Object> props) {
        this.checker = checker;
        this.pid = String.valueOf(props.get("service.pid"));
        apply(config, props);
    }

    @Modified
    void modified(Config config, Map<String, Object> props) {
        apply(config, props);
    }

    private void apply(Config config, Map<String, Object> props) {
        try {
            checker.putRealServer(pid, settings(config, props));
        } catch (IllegalArgumentException e) {
            // the bridge validated it; a hand-written configuration may not have been
            LOG.error("{}: real_server {}: {}", config.vigil_origin(), config.address(), e.getMessage());
            checker.removeRealServer(pid, true);
        }
    }

    @Deactivate
    void deactivate(int reason) {
        checker.removeRealServer(pid, reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }

    static RsSettings settings(Config c, Map<String, ?> props) {
        InetSocketAddress address = new InetSocketAddress(ServiceKeys.literal(c.address().trim()), c.port());
        String inhibit = c.inhibit_on_failure().trim();
        String alpha = c.alpha().trim();
        return new RsSettings(c.virtual_server().trim(), address, c.sorry(), c.weight(),
                inhibit.isEmpty() ? null : Boolean.valueOf(inhibit), alpha.isEmpty() ? null : Boolean.valueOf(alpha),
                c.lvs_method(), c.retry(),
                c.delay_before_retry(), c.warmup(), c.delay_loop(), c.connect_timeout(), c.notify_up(), c.notify_down(),
                blocks(c.check_count(), props, c.vigil_origin()), c.vigil_origin());
    }

    /** The check blocks: {@code check.N.vigil.type} and every {@code check.N.keyword} as its tokens. */
    static List<RsSettings.Block> blocks(int count, Map<String, ?> props, String origin) {
        int n = count;
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
