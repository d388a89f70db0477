package org.vigil.vip.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vrrp.IpFamily;

/**
 * The nftables rules keepalived 2.2.7 adds for its macvlans (seen in the lab with {@code nft list
 * ruleset}): the IGMP (IPv4) and MLDv2 (IPv6) reports a macvlan would send from the virtual MAC
 * are duplicated to the parent and dropped, and its router solicitations are dropped, so a backup
 * never sends a frame from the virtual MAC and switches keep it on the master's port. Vigil's own
 * tables are {@code ip vigil} and {@code ip6 vigil}; one map entry (macvlan to parent) per
 * interface. Runs {@code nft -f -} from the calling thread, hence in its network namespace.
 */
final class VmacFilter {

    private static final Logger LOG = LoggerFactory.getLogger(VmacFilter.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final String nft;
    private boolean missingReported;

    VmacFilter() {
        this("nft");
    }

    VmacFilter(String nft) {
        this.nft = nft;
    }

    /** The script adding the interface: the table, map, chain and rules made idempotently, then the entry. */
    static String addScript(VirtualInterface vi) {
        boolean v4 = vi.family() == IpFamily.IPV4;
        String t = (v4 ? "ip" : "ip6") + " vigil";
        StringBuilder s = new StringBuilder();
        s.append("add table ").append(t).append('\n');
        s.append("add map ").append(t).append(" vmac_map { type iface_index : iface_index ; }\n");
        if (!v4) {
            s.append("add set ").append(t).append(" vmac_set { type iface_index ; }\n");
        }
        s.append("add chain ").append(t)
                .append(" out { type filter hook output priority filter - 1 ; policy accept ; }\n");
        // flushed and written again: a restart after a crash must not append the rules twice
        s.append("flush chain ").append(t).append(" out\n");
        if (v4) {
            s.append("add rule ").append(t)
                    .append(" out ip protocol igmp meta oifkind \"macvlan\" dup to ip daddr device oif map @vmac_map drop\n");
        } else {
            s.append("add rule ").append(t).append(" out icmpv6 type mld2-listener-report meta oifkind \"macvlan\"")
                    .append(" dup to ip6 daddr device oif map @vmac_map drop\n");
            s.append("add rule ").append(t)
                    .append(" out icmpv6 type nd-router-solicit meta oifkind \"macvlan\" oif @vmac_set drop\n");
        }
        s.append("add element ").append(t).append(" vmac_map { \"").append(vi.name()).append("\" : \"")
                .append(vi.parent()).append("\" }\n");
        if (!v4) {
            s.append("add element ").append(t).append(" vmac_set { \"").append(vi.name()).append("\" }\n");
        }
        return s.toString();
    }

    /** The script removing the interface's entries (while the name still resolves: before the link goes). */
    static String removeScript(VirtualInterface vi) {
        boolean v4 = vi.family() == IpFamily.IPV4;
        String t = (v4 ? "ip" : "ip6") + " vigil";
        String s = "delete element " + t + " vmac_map { \"" + vi.name() + "\" }\n";
        return v4 ? s : s + "delete element " + t + " vmac_set { \"" + vi.name() + "\" }\n";
    }

    void add(String instance, VirtualInterface vi) {
        if (vi.kind() == VirtualInterface.Kind.MACVLAN) {
            run(instance, "redirect the IGMP/MLD reports of " + vi.name(), addScript(vi));
        }
    }

    void remove(String instance, VirtualInterface vi) {
        if (vi.kind() == VirtualInterface.Kind.MACVLAN) {
            run(instance, "remove the nftables entries of " + vi.name(), removeScript(vi));
        }
    }

    private void run(String instance, String what, String script) {
        try {
            Process p = new ProcessBuilder(List.of(nft, "-f", "-")).redirectErrorStream(true).start();
            p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warn("({}) cannot {}: nft did not finish in {} s", instance, what, TIMEOUT_SECONDS);
                return;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                LOG.warn("({}) cannot {}: nft exited {}: {}", instance, what, p.exitValue(), out);
            }
        } catch (IOException e) {
            if (!missingReported) {
                missingReported = true;
                LOG.warn("({}) cannot {}: {} (install nftables)", instance, what, e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
