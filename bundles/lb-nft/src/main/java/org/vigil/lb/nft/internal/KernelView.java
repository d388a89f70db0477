package org.vigil.lb.nft.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernel holds in Vigil's table, read back from {@code nft -j list table inet TABLE}:
 * the dispatch elements, each service chain's slots, each real-server chain's DNAT target and
 * counter (NAT chains see the first packet of a connection only: packets = new connections).
 */
record KernelView(Map<String, String> dispatch, Map<String, List<Plan.Slot>> services, Map<String, Server> servers) {

    /** A real-server chain: its DNAT target as nft's address[:port] text, and its counter. */
    record Server(String target, long packets) {
    }

    /** A slot as read back: only chain and range are known (the destination is in the server chain). */
    static Plan.Slot slot(String chain, long from, long to) {
        return new Plan.Slot(null, chain, null, from, to);
    }

    @SuppressWarnings("unchecked")
    static KernelView parse(String json) {
        Map<String, String> dispatch = new LinkedHashMap<>();
        Map<String, List<Plan.Slot>> services = new LinkedHashMap<>();
        Map<String, Server> servers = new LinkedHashMap<>();
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        for (Object o : (List<Object>) root.getOrDefault("nftables", List.of())) {
            Map<String, Object> item = (Map<String, Object>) o;
            if (item.containsKey("map")) {
                Map<String, Object> map = (Map<String, Object>) item.get("map");
                for (Object e : (List<Object>) map.getOrDefault("elem", List.of())) {
                    List<Object> kv = (List<Object>) e;
                    String target = jumpTarget(kv.get(1));
                    if (target != null) {
                        dispatch.put(target, map.get("name") + " " + keyText(kv.get(0)));
                    }
                }
            } else if (item.containsKey("chain")) {
                String name = (String) ((Map<String, Object>) item.get("chain")).get("name");
                if (name.startsWith("vs_")) {
                    services.putIfAbsent(name, new ArrayList<>());
                }
            } else if (item.containsKey("rule")) {
                Map<String, Object> rule = (Map<String, Object>) item.get("rule");
                String chain = (String) rule.get("chain");
                List<Object> expr = (List<Object>) rule.get("expr");
                if (chain.startsWith("vs_")) {
                    serviceRule(services.computeIfAbsent(chain, c -> new ArrayList<>()), expr);
                } else if (chain.startsWith("rs_")) {
                    serverRule(servers, chain, expr);
                }
            }
        }
        return new KernelView(dispatch, services, servers);
    }

    @SuppressWarnings("unchecked")
    private static void serviceRule(List<Plan.Slot> slots, List<Object> expr) {
        if (expr.size() == 1 && expr.get(0) instanceof Map<?, ?> only) {
            String direct = jumpTarget(only);
            if (direct != null) {
                slots.add(slot(direct, 0, 0));
                return;
            }
            Map<String, Object> vmap = (Map<String, Object>) only.get("vmap");
            if (vmap != null) {
                Map<String, Object> data = (Map<String, Object>) vmap.get("data");
                for (Object e : (List<Object>) data.getOrDefault("set", List.of())) {
                    List<Object> kv = (List<Object>) e;
                    String target = jumpTarget(kv.get(1));
                    long from;
                    long to;
                    if (kv.get(0) instanceof Map<?, ?> range && range.get("range") instanceof List<?> r) {
                        from = ((Number) r.get(0)).longValue();
                        to = ((Number) r.get(1)).longValue();
                    } else {
                        from = ((Number) kv.get(0)).longValue();
                        to = from;
                    }
                    slots.add(slot(target, from, to));
                }
            }
        }
        // anything else is a persistence lookup (its jump repeats a slot) or the empty pool's comment
    }

    @SuppressWarnings("unchecked")
    private static void serverRule(Map<String, Server> servers, String chain, List<Object> expr) {
        long packets = 0;
        String target = null;
        for (Object o : expr) {
            Map<String, Object> e = (Map<String, Object>) o;
            if (e.get("counter") instanceof Map<?, ?> c) {
                packets = ((Number) c.get("packets")).longValue();
            }
            if (e.get("dnat") instanceof Map<?, ?> d) {
                String addr = String.valueOf(d.get("addr"));
                Object port = d.get("port");
                target = port == null ? addr : (addr.contains(":") ? "[" + addr + "]" : addr) + ":" + port;
            }
        }
        servers.put(chain, new Server(target, packets));
    }

    @SuppressWarnings("unchecked")
    private static String jumpTarget(Object verdict) {
        if (verdict instanceof Map<?, ?> m && m.get("jump") instanceof Map<?, ?> j) {
            return (String) ((Map<String, Object>) j).get("target");
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static String keyText(Object key) {
        if (key instanceof Map<?, ?> m && m.get("concat") instanceof List<?> parts) {
            List<String> t = new ArrayList<>();
            for (Object p : parts) {
                t.add(String.valueOf(p));
            }
            return String.join(" . ", t);
        }
        return String.valueOf(key);
    }

    /** What differs between the plans and this view; empty when the kernel holds exactly the plans. */
    List<String> differences(Map<?, Plan> plans) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (Plan p : plans.values()) {
            String vs = p.key().text();
            expected.add(p.chain());
            String want = p.shape().dispatchMap() + " " + p.shape().dispatchKey();
            if (!want.equals(dispatch.get(p.chain()))) {
                out.add("VS " + vs + ": dispatch element '" + want + "' missing (kernel: " + dispatch.get(p.chain()) + ")");
            }
            List<Plan.Slot> held = services.get(p.chain());
            if (held == null) {
                out.add("VS " + vs + ": chain " + p.chain() + " missing");
                continue;
            }
            List<String> wantSlots = new ArrayList<>();
            for (Plan.Slot s : p.slots()) {
                wantSlots.add(s.chain() + " " + (p.slots().size() == 1 ? "0-0" : s.from() + "-" + s.to()));
                Server srv = servers.get(s.chain());
                String target = Plan.target(s.destination().address());
                if (srv == null || !target.equals(srv.target())) {
                    out.add("VS " + vs + ": real server " + target + " not translated by " + s.chain()
                            + (srv == null ? " (chain missing)" : " (kernel: " + srv.target() + ")"));
                }
            }
            List<String> heldSlots = new ArrayList<>();
            for (Plan.Slot s : held) {
                heldSlots.add(s.chain() + " " + s.from() + "-" + s.to());
            }
            if (!wantSlots.equals(heldSlots)) {
                out.add("VS " + vs + ": slots " + heldSlots + " in the kernel, " + wantSlots + " wanted");
            }
        }
        for (String chain : services.keySet()) {
            if (!expected.contains(chain)) {
                out.add("chain " + chain + " in the kernel belongs to no virtual service");
            }
        }
        return out;
    }
}
