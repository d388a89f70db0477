package org.vigil.checker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import org.vigil.api.check.CheckerPids;

/**
 * One virtual_server from a factory configuration, with its real servers and sorry server
 * ({@code real.server.N.*}, read by {@link RealServers}). A change of the same key is applied in
 * place: real servers are diffed by address and port, and the unchanged ones keep their verdicts.
 */
@Component(configurationPid = CheckerPids.VIRTUAL_SERVER, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = VirtualServerComponent.Config.class, factory = true)
public class VirtualServerComponent {

    /** keepalived's virtual_server keywords, underscores as dots; times in seconds. Negative: not set. */
    @ObjectClassDefinition(name = "Virtual server", description = "One virtual_server of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "192.0.2.249:tcp:80, [2001:db8::1]:tcp:80, fwmark:10:inet or group:NAME:tcp")
        String virtual_server();

        @AttributeDefinition(description = "tcp, udp or sctp")
        String protocol() default "tcp";

        double delay_loop() default 60;

        String lvs_sched() default "wlc";

        @AttributeDefinition(description = "hashed, flag-1..3, sh-port, sh-fallback, mh-port, mh-fallback")
        String[] lvs_sched_flags() default {};

        boolean ops() default false;

        @AttributeDefinition(description = "NAT, DR or TUN")
        String lvs_method() default "NAT";

        long persistence_timeout() default 0;

        String persistence_granularity() default "";

        int quorum() default 1;

        int hysteresis() default 0;

        String quorum_up() default "";

        String quorum_down() default "";

        boolean sorry_server_inhibit() default false;

        String sorry_server_lvs_method() default "";

        boolean inhibit_on_failure() default false;

        boolean alpha() default false;

        boolean omega() default false;

        boolean ha_suspend() default false;

        int retry() default -1;

        double delay_before_retry() default -1;

        double warmup() default -1;

        double connect_timeout() default -1;

        @AttributeDefinition(description = "quorum_up's user [group]; empty: script_user or the default")
        String quorum_up_user() default "";

        @AttributeDefinition(description = "quorum_down's user [group]; empty: script_user or the default")
        String quorum_down_user() default "";

        @AttributeDefinition(description = "global_defs script_user, for the checker's scripts")
        String script_user() default "";

        @AttributeDefinition(description = "global_defs enable_script_security, for the checker's scripts")
        boolean enable_script_security() default false;

        @AttributeDefinition(description = "mail quorum changes (keepalived's smtp_alert)")
        boolean smtp_alert() default false;

        @AttributeDefinition(description = "default virtualhost of HTTP_GET and SSL_GET checks")
        String virtualhost() default "";

        @AttributeDefinition(description = "global_defs lvs_notify_fifo (or notify_fifo): the FIFO for VS and RS lines")
        String lvs_notify_fifo() default "";

        @AttributeDefinition(description = "file:line of the block")
        String vigil_origin() default "";
    }

    private final Checker checker;
    private final String pid;

    @Activate
    public VirtualServerComponent(@Reference Checker checker, Config config, Map<String, Object> props) {
        this.checker = checker;
        this.pid = String.valueOf(props.get("service.pid"));
        apply(config, props);
    }

    @Modified
    void modified(Config config, Map<String, Object> props) {
        apply(config, props);
    }

    private void apply(Config config, Map<String, Object> props) {
        VsSettings vs = settings(config, props);
        checker.putVirtualServer(pid, vs, RealServers.read(vs.key(), props));
    }

    @Deactivate
    void deactivate(int reason) {
        checker.removeVirtualServer(pid, reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }

    /** The path of "path [user [group]]". */
    static String fifoPath(String written) {
        String t = written.strip();
        return t.isEmpty() ? "" : t.split("\\s+")[0];
    }

    static VsSettings settings(Config c, Map<String, Object> props) {
        String key = c.virtual_server().trim();
        List<String> flags = new ArrayList<>(List.of(c.lvs_sched_flags()));
        if (c.ops()) {
            flags.add("ops");
        }
        return new VsSettings(key, Texts.virtualServer(key), c.protocol().toLowerCase(Locale.ROOT), c.delay_loop(),
                c.lvs_sched(), flags, c.lvs_method().toUpperCase(Locale.ROOT), c.persistence_timeout(),
                c.persistence_granularity(), c.quorum(), c.hysteresis(), c.quorum_up(), c.quorum_down(),
                c.sorry_server_inhibit(), c.sorry_server_lvs_method(), c.inhibit_on_failure(), c.alpha(), c.omega(),
                c.ha_suspend(), c.retry(), c.delay_before_retry(), c.warmup(), c.connect_timeout(), c.virtualhost(),
                fifoPath(c.lvs_notify_fifo()), c.vigil_origin(), c.smtp_alert(), c.quorum_up_user(), c.quorum_down_user(), c.script_user(), c.enable_script_security());
    }
}
