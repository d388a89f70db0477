package org.vigil.lb.nft.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The nft commands (one per line, as {@code nft -f -} reads them) that make Vigil's table hold a
 * plan. Layout of {@code table inet TABLE}:
 * <ul>
 * <li>chains {@code prerouting} (nat, dstnat) and {@code output} (nat, for clients on the director
 * itself) jump to {@code services}, which looks the packet up in dispatch verdict maps: fwmark4/6
 * by meta mark (first, as IPVS looks up fwmark services first), services4/6 by address . protocol
 * . port, anyport4/6 by address . protocol (a virtual server on port 0);</li>
 * <li>one chain {@code vs_...} per virtual service: the persistence lookups, then the selector's
 * verdict map to the slots;</li>
 * <li>one chain {@code rs_...} per live real server of a service: refresh the persistence entry,
 * count, DNAT.</li>
 * </ul>
 * NAT chains see only the first packet of a connection (conntrack keeps the translation), so
 * replacing a service's rules never touches established connections; a real server that stays in
 * the pool keeps its chain, its counter and its persistence set.
 */
final class NftScript {
    /** Persistence sets hold at most this many clients per real server (nft's default is 65,535). */
    static final int PERSIST_SIZE = 262144;

    private final String table;

    NftScript(String table) {
        this.table = table;
    }

    String table() {
        return table;
    }

    private String t() {
        return "inet " + table;
    }

    /** Deletes whatever an earlier run (or a crash) left and creates the empty skeleton. */
    List<String> reset() {
        List<String> c = new ArrayList<>();
        // "add" first so that "delete" succeeds whether or not the table exists
        c.add("add table " + t());
        c.add("delete table " + t());
        c.add("add table " + t());
        for (String f : List.of("4", "6")) {
            String addr = f.equals("4") ? "ipv4_addr" : "ipv6_addr";
            c.add("add map " + t() + " fwmark" + f + " { type mark : verdict; }");
            c.add("add map " + t() + " services" + f + " { type " + addr + " . inet_proto . inet_service : verdict; }");
            c.add("add map " + t() + " anyport" + f + " { type " + addr + " . inet_proto : verdict; }");
        }
        c.add("add chain " + t() + " services");
        c.add("add rule " + t() + " services meta nfproto ipv4 meta mark vmap @fwmark4");
        c.add("add rule " + t() + " services meta nfproto ipv6 meta mark vmap @fwmark6");
        c.add("add rule " + t() + " services ip daddr . meta l4proto . th dport vmap @services4");
        c.add("add rule " + t() + " services ip6 daddr . meta l4proto . th dport vmap @services6");
        c.add("add rule " + t() + " services ip daddr . meta l4proto vmap @anyport4");
        c.add("add rule " + t() + " services ip6 daddr . meta l4proto vmap @anyport6");
        c.add("add chain " + t() + " prerouting { type nat hook prerouting priority dstnat; policy accept; }");
        c.add("add rule " + t() + " prerouting jump services");
        c.add("add chain " + t() + " output { type nat hook output priority -100; policy accept; }");
        c.add("add rule " + t() + " output jump services");
        return c;
    }

    /** Removes the table (on stop); {@link #reset()} is what runs at start. */
    List<String> drop() {
        return List.of("add table " + t(), "delete table " + t());
    }

    /**
     * Makes a service that held {@code before} (null: new) hold {@code now}. Nothing when they
     * are the same; the service's own chain is replaced when only its slots change; everything of
     * it is rebuilt when its shape (scheduler, persistence, family) changes.
     */
    List<String> put(Plan before, Plan now) {
        List<String> c = new ArrayList<>();
        if (before != null && before.equals(now)) {
            return c;
        }
        if (before != null && !before.shape().equals(now.shape())) {
            c.addAll(remove(before));
            before = null;
        }
        Map<String, Plan.Slot> kept = new HashMap<>();
        if (before == null) {
            c.add("add chain " + t() + " " + now.chain());
        } else {
            c.add("flush chain " + t() + " " + now.chain());
            for (Plan.Slot s : before.slots()) {
                kept.put(s.chain(), s);
            }
        }
        for (Plan.Slot s : now.slots()) {
            if (kept.remove(s.chain()) == null) {
                addSlot(c, now, s);
            }
        }
        serviceRules(c, now);
        // what is left in kept left the pool: its chain is unreferenced once the service chain was flushed
        for (Plan.Slot s : kept.values()) {
            c.add("flush chain " + t() + " " + s.chain());
        }
        for (Plan.Slot s : kept.values()) {
            c.add("delete chain " + t() + " " + s.chain());
            if (s.set() != null) {
                c.add("delete set " + t() + " " + s.set());
            }
        }
        if (before == null) {
            c.add("add element " + t() + " " + now.shape().dispatchMap() + " { " + now.shape().dispatchKey()
                    + " : jump " + now.chain() + " }");
        }
        return c;
    }

    /** Removes a service: its dispatch element first, then its chains and sets. */
    List<String> remove(Plan before) {
        List<String> c = new ArrayList<>();
        c.add("delete element " + t() + " " + before.shape().dispatchMap() + " { " + before.shape().dispatchKey()
                + " }");
        c.add("flush chain " + t() + " " + before.chain());
        for (Plan.Slot s : before.slots()) {
            c.add("flush chain " + t() + " " + s.chain());
        }
        c.add("delete chain " + t() + " " + before.chain());
        for (Plan.Slot s : before.slots()) {
            c.add("delete chain " + t() + " " + s.chain());
            if (s.set() != null) {
                c.add("delete set " + t() + " " + s.set());
            }
        }
        return c;
    }

    private void addSlot(List<String> c, Plan p, Plan.Slot s) {
        Plan.Shape sh = p.shape();
        StringBuilder rule = new StringBuilder("add rule ").append(t()).append(' ').append(s.chain());
        if (sh.protocolMatch() != null) {
            rule.append(" meta l4proto ").append(sh.protocolMatch());
        } else if (s.destination().address().getPort() != 0) {
            // a fwmark service rewriting the port: only for the protocol it was declared with
            rule.append(" meta l4proto ").append(p.key().protocol());
        }
        if (s.set() != null) {
            String addr = sh.family().equals("ip6") ? "ipv6_addr" : "ipv4_addr";
            c.add("add set " + t() + " " + s.set() + " { type " + addr + "; size " + PERSIST_SIZE
                    + "; flags dynamic, timeout; timeout " + sh.persistTimeout() + "s; }");
            rule.append(" update @").append(s.set()).append(" { ").append(sh.persistKey()).append(" }");
        }
        rule.append(" counter dnat ").append(sh.family()).append(" to ").append(Plan.target(s.destination().address()));
        c.add("add chain " + t() + " " + s.chain());
        c.add(rule.toString());
    }

    private void serviceRules(List<String> c, Plan p) {
        String chain = "add rule " + t() + " " + p.chain();
        if (p.slots().isEmpty()) {
            // no DNAT: the packet goes on to the director's own stack, which refuses it (nothing listens)
            c.add(chain + " counter comment \"no live real server\"");
            return;
        }
        if (p.shape().persistent()) {
            // a client seen within the timeout goes back to its server (its set is refreshed there)
            for (Plan.Slot s : p.slots()) {
                c.add(chain + " " + p.shape().persistKey() + " @" + s.set() + " jump " + s.chain());
            }
        }
        if (p.slots().size() == 1) {
            c.add(chain + " jump " + p.slots().get(0).chain());
            return;
        }
        StringJoiner map = new StringJoiner(", ", " vmap { ", " }");
        for (Plan.Slot s : p.slots()) {
            map.add((s.from() == s.to() ? Long.toString(s.from()) : s.from() + "-" + s.to()) + " : jump " + s.chain());
        }
        c.add(chain + " " + p.selector() + map);
    }

    /** One transaction: the lines nft -f reads. */
    static String text(List<String> commands) {
        return String.join("\n", commands) + "\n";
    }
}
