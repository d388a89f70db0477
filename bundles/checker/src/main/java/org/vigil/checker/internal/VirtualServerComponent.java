package org.vigil.checker.internal;

import java.util.ArrayList;
import java.util.List;
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
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckerPids;
import org.vigil.api.config.PropertyTypes;

/**
 * One virtual_server from a factory configuration, with its real servers and sorry server
 * ({@code real.server.N.*}, read by {@link RealServers}). A change of the same key is applied in
 * place: real servers are diffed by address and port, and the unchanged ones keep their verdicts.
 */
@Component(configurationPid = CheckerPids.VIRTUAL_SERVER, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = VirtualServerComponent.Config.class, factory = true)
public class VirtualServerComponent {

    /**
     * keepalived's virtual_server keywords, underscores as dots; times in seconds. Negative: not
     * set. The service is {@code address} and {@code port}, {@code fwmark} (and {@code ip_family}),
     * or {@code group}; {@code virtual_server} is only its identity. The real servers ride along as
     * {@code real.server.N.*} ({@link RealServers.Config}).
     */
    @ObjectClassDefinition(name = "Virtual server", description = "One virtual_server of keepalived.conf")
    public @interface Config {
        @AttributeDefinition(description = "identity: 192.0.2.249:tcp:80, [2001:db8::1]:tcp:80, fwmark:10:inet or group:NAME:tcp")
        String virtual_server();

        @AttributeDefinition(required = false, description = "the virtual IP address (an address service)")
        String address() default "";

        @AttributeDefinition(required = false, description = "the port of an address service (0: all ports)")
        int port() default 0;

        @AttributeDefinition(required = false, description = "the firewall mark (a fwmark service)")
        long fwmark() default 0;

        @AttributeDefinition(required = false, description = "the virtual_server_group's name (a group service)")
        String group() default "";

        @AttributeDefinition(description = "inet or inet6 (of a fwmark service)", options = {
                @Option(label = "inet", value = "inet"), @Option(label = "inet6", value = "inet6") })
        String ip_family() default "inet";

        @AttributeDefinition(description = "tcp, udp or sctp", options = { @Option(label = "tcp", value = "tcp"),
                @Option(label = "udp", value = "udp"), @Option(label = "sctp", value = "sctp") })
        String protocol() default "tcp";

        double delay_loop() default 60;

        String lvs_sched() default "wlc";

        @AttributeDefinition(description = "hashed, flag-1..3, sh-port, sh-fallback, mh-port, mh-fallback")
        String[] lvs_sched_flags() default {};

        boolean ops() default false;

        @AttributeDefinition(description = "NAT, DR or TUN", options = { @Option(label = "NAT", value = "NAT"),
                @Option(label = "DR", value = "DR"), @Option(label = "TUN", value = "TUN") })
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

        @AttributeDefinition(description = "quorum_up's user; empty: script_user or the default")
        String quorum_up_user() default "";

        @AttributeDefinition(description = "quorum_up's group; empty: the user's own")
        String quorum_up_group() default "";

        @AttributeDefinition(description = "quorum_up's user :[GROUP]: also the user's supplementary groups")
        boolean quorum_up_supplementary_groups() default false;

        @AttributeDefinition(description = "quorum_down's user; empty: script_user or the default")
        String quorum_down_user() default "";

        String quorum_down_group() default "";

        boolean quorum_down_supplementary_groups() default false;

        @AttributeDefinition(description = "global_defs script_user, for the checker's scripts")
        String script_user() default "";

        @AttributeDefinition(description = "global_defs script_user's group")
        String script_group() default "";

        boolean script_supplementary_groups() default false;

        @AttributeDefinition(description = "global_defs enable_script_security, for the checker's scripts")
        boolean enable_script_security() default false;

        @AttributeDefinition(description = "mail quorum changes (keepalived's smtp_alert)")
        boolean smtp_alert() default false;

        @AttributeDefinition(description = "default virtualhost of HTTP_GET and SSL_GET checks")
        String virtualhost() default "";

        @AttributeDefinition(description = "the path of global_defs lvs_notify_fifo (or notify_fifo): the FIFO for VS and RS lines")
        String lvs_notify_fifo() default "";

        @AttributeDefinition(description = "lvs_notify_fifo's owner (PATH USER): the FIFO is given to this user when created; empty: script_user or the default")
        String lvs_notify_fifo_owner_user() default "";

        @AttributeDefinition(description = "lvs_notify_fifo's group (PATH USER GROUP); empty: the user's own")
        String lvs_notify_fifo_owner_group() default "";

        @AttributeDefinition(description = "global_defs lvs_notify_fifo_script: started with the FIFO as its last argument")
        String lvs_notify_fifo_script_command() default "";

        @AttributeDefinition(description = "lvs_notify_fifo_script's user; empty: script_user or the default")
        String lvs_notify_fifo_script_user() default "";

        @AttributeDefinition(description = "lvs_notify_fifo_script's group; empty: the user's own")
        String lvs_notify_fifo_script_group() default "";

        @AttributeDefinition(description = "lvs_notify_fifo_script's user :[GROUP]: also the user's supplementary groups")
        boolean lvs_notify_fifo_script_supplementary_groups() default false;

        @AttributeDefinition(description = "file:line of the block")
        String vigil_origin() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(VirtualServerComponent.class);

    private final Checker checker;
    private final String pid;
    /** Whether the engine holds this virtual server (a configuration that does not read is not started). */
    private boolean applied;

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
        // every line about this configuration starts with the block's file:line when it has one
        // (a hand-written, deployed configuration may not)
        Object origin = props.get("vigil.origin");
        String where = origin == null || String.valueOf(origin).isBlank() ? "" : origin + ": ";
        VsSettings vs;
        try {
            vs = settings(config);
        } catch (IllegalArgumentException e) {
            LOG.error("{}Configuration {}: {}; virtual server {}", where, pid, e.getMessage(),
                    applied ? "keeps its previous configuration" : "not started");
            return;
        }
        org.vigil.script.RunAs owner = null;
        if (!vs.notifyFifo().isEmpty()) {
            try {
                owner = fifoOwner(config, vs, org.vigil.script.ScriptSecurity.Host.system());
            } catch (IllegalArgumentException e) {
                // the FIFO is global_defs': its bad owner stops no virtual server
                LOG.error("{}Configuration {}: {}; lvs_notify_fifo {} stays owned by Vigil's user", where, pid, e.getMessage(),
                        vs.notifyFifo());
            }
            // before the virtual server: its first line may create the FIFO
            checker.fifoOwner(vs.notifyFifo(), owner);
        }
        checker.putVirtualServer(pid, vs, RealServers.read(pid, vs.key(), props));
        LvsFifoScripts.Reader fifoScript = null;
        try {
            fifoScript = fifoScript(config, vs, owner);
        } catch (IllegalArgumentException e) {
            // the FIFO's reader is global_defs': its bad user stops no virtual server
            LOG.error("{}Configuration {}: {}; lvs_notify_fifo_script not started", where, pid, e.getMessage());
        }
        checker.fifoScript(pid, fifoScript);
        applied = true;
    }

    @Deactivate
    void deactivate(int reason) {
        checker.fifoScript(pid, null);
        checker.removeVirtualServer(pid, reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }

    /**
     * The settings of a typed configuration; IllegalArgumentException "attribute KEY: reason" when
     * an attribute does not convert, a required one is missing or a value is out of range.
     */
    static VsSettings settings(Config raw) {
        Config c = PropertyTypes.check(raw);
        String key = required(CheckerPids.VIRTUAL_SERVER_KEY, c.virtual_server());
        String protocol = oneOf("protocol", c.protocol(), "tcp", "udp", "sctp");
        VsService service = service(c);
        List<String> flags = new ArrayList<>(List.of(c.lvs_sched_flags()));
        if (c.ops()) {
            flags.add("ops");
        }
        return new VsSettings(key, service, service.text(protocol), protocol, c.delay_loop(),
                c.lvs_sched(), flags, oneOf("lvs.method", c.lvs_method(), "NAT", "DR", "TUN"), c.persistence_timeout(),
                c.persistence_granularity(), c.quorum(), c.hysteresis(), c.quorum_up(), c.quorum_down(),
                c.sorry_server_inhibit(), c.sorry_server_lvs_method(), c.inhibit_on_failure(), c.alpha(), c.omega(),
                c.ha_suspend(), c.retry(), c.delay_before_retry(), c.warmup(), c.connect_timeout(), c.virtualhost(),
                c.lvs_notify_fifo().strip(), c.vigil_origin(), c.smtp_alert(),
                runAs("quorum.up.", c.quorum_up_user(), c.quorum_up_group(), c.quorum_up_supplementary_groups()),
                runAs("quorum.down.", c.quorum_down_user(), c.quorum_down_group(), c.quorum_down_supplementary_groups()),
                runAs("script.", c.script_user(), c.script_group(), c.script_supplementary_groups()),
                c.enable_script_security());
    }

    /**
     * Who lvs_notify_fifo is given to when Vigil creates it: its own {@code PATH USER [GROUP]},
     * else as keepalived decides (script_user, else keepalived_script); null: Vigil's user.
     * IllegalArgumentException naming the attribute when the owner's attributes do not read.
     */
    static org.vigil.script.RunAs fifoOwner(Config c, VsSettings vs, org.vigil.script.ScriptSecurity.Host host) {
        org.vigil.script.RunAs own = runAs("lvs.notify.fifo.owner.", c.lvs_notify_fifo_owner_user(),
                c.lvs_notify_fifo_owner_group(), false);
        return org.vigil.script.FifoScript.owner(own, vs.scriptUser(), host);
    }

    /**
     * The lvs_notify_fifo_script reader of the configuration, on the FIFO given to {@code owner};
     * null without a FIFO or a script.
     */
    static LvsFifoScripts.Reader fifoScript(Config c, VsSettings vs, org.vigil.script.RunAs owner) {
        String command = c.lvs_notify_fifo_script_command().strip();
        if (command.isEmpty() || vs.notifyFifo().isEmpty()) {
            return null;
        }
        return new LvsFifoScripts.Reader(vs.notifyFifo(), owner, command,
                runAs("lvs.notify.fifo.script.", c.lvs_notify_fifo_script_user(), c.lvs_notify_fifo_script_group(),
                        c.lvs_notify_fifo_script_supplementary_groups()),
                vs.scriptUser(), vs.scriptSecurity());
    }

    /**
     * Who runs a script, from the three typed attributes after {@code prefix}
     * ({@code quorum.up.user}, {@code .group}, {@code .supplementary.groups}); null without a
     * user. The error names the attribute at fault.
     */
    static org.vigil.script.RunAs runAs(String prefix, String user, String group, boolean supplementaryGroups) {
        return org.vigil.script.RunAs.ofAttributes(prefix, user, group, supplementaryGroups);
    }

    /** address and port, else fwmark, else group: exactly one of them. */
    private static VsService service(Config c) {
        String address = c.address().strip();
        String group = c.group().strip();
        int given = (address.isEmpty() ? 0 : 1) + (c.fwmark() == 0 ? 0 : 1) + (group.isEmpty() ? 0 : 1);
        if (given != 1) {
            throw new IllegalArgumentException("attribute " + CheckerPids.ADDRESS
                    + (given == 0 ? ": required (or fwmark, or group)" : ": only one of address, fwmark and group"));
        }
        if (!address.isEmpty()) {
            if (c.port() < 0 || c.port() > 65535) {
                throw new IllegalArgumentException("attribute " + CheckerPids.PORT + ": " + c.port() + " not in 0..65535");
            }
            try {
                return new VsService.Address(ServiceKeys.literal(address), c.port(), address);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("attribute " + CheckerPids.ADDRESS + ": " + e.getMessage(), e);
            }
        }
        if (c.fwmark() != 0) {
            if (c.fwmark() < 0 || c.fwmark() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("attribute fwmark: " + c.fwmark() + " not in 1..4294967295");
            }
            return new VsService.Fwmark(c.fwmark(), "inet6".equals(oneOf("ip.family", c.ip_family(), "inet", "inet6")));
        }
        return new VsService.Group(group);
    }

    private static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("attribute " + key + ": required");
        }
        return value.strip();
    }

    /** The value among {@code allowed}, ignoring case, in the allowed spelling. */
    private static String oneOf(String key, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value.strip())) {
                return a;
            }
        }
        throw new IllegalArgumentException("attribute " + key + ": '" + value + "' is not one of " + String.join(", ", allowed));
    }
}
