package org.vigil.lb.nft.internal;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.vigil.api.lb.Destination;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/**
 * One virtual service as nftables objects: its chain, how a new connection picks a slot (the
 * selector), the live real servers as slots (a range of the selector's number each, a chain each,
 * and a timed set each for persistence), and its element in the dispatch map.
 *
 * @param shape    what, when it changes, rebuilds the whole service (anything but the slots)
 * @param selector the expression with its modulus (numgen inc mod 3, jhash ip saddr mod 4 seed ...)
 * @param slots live real servers (weight above 0), in the checker's order
 */
record Plan(ServiceKey key, String chain, Shape shape, String selector, List<Slot> slots) {

    /** Everything of a service but its live servers. */
    record Shape(String family, String dispatchMap, String dispatchKey, Scheduling.Kind kind, String selector,
            String persistKey, long persistTimeout, String protocolMatch) {
        boolean persistent() {
            return persistKey != null;
        }
    }

    /** One live real server: numbers {@code from..to} of the selector lead to its chain. */
    record Slot(Destination destination, String chain, String set, long from, long to) {
    }

    /** Weights above this total are scaled down (numgen and jhash take 32-bit moduli). */
    static final long MAX_TOTAL = 1L << 20;
    /** A fixed jhash seed: without one nft picks a random seed per rule, and every rule replacement would remap clients. */
    static final String SEED = "0x5649474c";

    static Plan of(VirtualService vs) {
        ServiceKey key = vs.key();
        boolean v6 = key.ipv6();
        String fam = v6 ? "ip6" : "ip";
        String chain = "vs_" + serviceSuffix(key);
        Scheduling sched = Scheduling.of(vs.scheduler(), vs.schedulerFlags());
        String dispatchMap;
        String dispatchKey;
        if (key.address() == null) {
            dispatchMap = v6 ? "fwmark6" : "fwmark4";
            dispatchKey = Long.toString(key.fwmark());
        } else if (key.port() == 0) {
            dispatchMap = v6 ? "anyport6" : "anyport4";
            dispatchKey = host(key.address()) + " . " + key.protocol();
        } else {
            dispatchMap = v6 ? "services6" : "services4";
            dispatchKey = host(key.address()) + " . " + key.protocol() + " . " + key.port();
        }
        String persistKey = vs.persistenceTimeout() > 0 ? persistKey(fam, vs.persistenceGranularity()) : null;
        // a port rewrite needs a transport protocol match before it; an address service has its protocol
        String protocolMatch = key.address() != null ? key.protocol() : null;
        // A sorry server is one destination whatever its weight
        List<Destination> live = new ArrayList<>();
        for (Destination d : vs.destinations()) {
            if (vs.sorry() || d.weight() > 0) {
                live.add(d);
            }
        }
        long[] weights = weights(live, sched.kind(), vs.sorry());
        long total = 0;
        for (long w : weights) {
            total += w;
        }
        String selector = switch (sched.kind()) {
            case ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, FAILOVER -> "numgen inc mod " + total;
            case SOURCE_HASH -> "jhash " + fam + " saddr" + (sched.sourcePort() ? " . th sport" : "") + " mod " + total
                    + " seed " + SEED;
            case DESTINATION_HASH -> "jhash " + fam + " daddr mod " + total + " seed " + SEED;
        };
        List<Slot> slots = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < live.size(); i++) {
            if (weights[i] == 0) {
                continue;
            }
            Destination d = live.get(i);
            String dchain = "rs_" + serviceSuffix(key) + "__" + name(d.address());
            slots.add(new Slot(d, dchain, persistKey == null ? null : "p_" + dchain.substring(3), next,
                    next + weights[i] - 1));
            next += weights[i];
        }
        // the selector is in the shape only by its kind: its modulus follows the slots
        Shape shape = new Shape(fam, dispatchMap, dispatchKey, sched.kind(),
                sched.kind() + (sched.sourcePort() ? "+port" : ""), persistKey, vs.persistenceTimeout(), protocolMatch);
        return new Plan(key, chain, shape, selector, List.copyOf(slots));
    }

    /** Per live server: its share of the selector's numbers. */
    private static long[] weights(List<Destination> live, Scheduling.Kind kind, boolean sorry) {
        long[] w = new long[live.size()];
        if (live.isEmpty()) {
            return w;
        }
        if (kind == Scheduling.Kind.FAILOVER) {
            int best = 0;
            for (int i = 1; i < live.size(); i++) {
                if (live.get(i).weight() > live.get(best).weight()) {
                    best = i;
                }
            }
            w[best] = 1;
            return w;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = kind == Scheduling.Kind.ROUND_ROBIN || sorry ? 1 : Math.max(1, live.get(i).weight());
        }
        long gcd = w[0];
        long total = 0;
        long max = 0;
        for (long x : w) {
            gcd = BigInteger.valueOf(gcd).gcd(BigInteger.valueOf(x)).longValue();
            total += x;
            max = Math.max(max, x);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= gcd;
        }
        total /= gcd;
        if (total > MAX_TOTAL) {
            // keep the proportions, and every live server at least one number
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(1, w[i] * MAX_TOTAL / total);
            }
        }
        return w;
    }

    /** The client key of persistence: the source, masked by persistence_granularity (a netmask, or a prefix length). */
    static String persistKey(String fam, String granularity) {
        String base = fam + " saddr";
        String g = granularity == null ? "" : granularity.trim();
        if (g.isEmpty()) {
            return base;
        }
        int bits = fam.equals("ip6") ? 128 : 32;
        String mask;
        if (g.matches("/?\\d+")) {
            int prefix = Integer.parseInt(g.replace("/", ""));
            if (prefix >= bits) {
                return base;
            }
            mask = maskText(prefix, bits);
        } else {
            mask = g;
        }
        return base + " & " + mask;
    }

    private static String maskText(int prefix, int bits) {
        byte[] b = new byte[bits / 8];
        for (int i = 0; i < prefix; i++) {
            b[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        try {
            return host(InetAddress.getByAddress(b));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "192_0_2_249_tcp_80", "fwm_10_ip6". */
    static String serviceSuffix(ServiceKey key) {
        if (key.address() == null) {
            return "fwm_" + key.fwmark() + (key.ipv6() ? "_ip6" : "_ip");
        }
        return sanitize(host(key.address())) + "_" + key.protocol() + "_" + key.port();
    }

    static String name(InetSocketAddress a) {
        return sanitize(host(a.getAddress())) + "_" + a.getPort();
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9]", "_");
    }

    /** nft's address literal: IPv6 in brackets when a port follows. */
    static String target(InetSocketAddress a) {
        String host = host(a.getAddress());
        if (a.getPort() == 0) {
            return host;
        }
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** An address as nft prints it: IPv6 with its longest run of zero groups as "::" (RFC 5952). */
    static String host(InetAddress a) {
        String full = a.getHostAddress().toLowerCase(Locale.ROOT);
        if (!(a instanceof Inet6Address)) {
            return full;
        }
        int percent = full.indexOf('%');
        if (percent >= 0) {
            full = full.substring(0, percent);
        }
        String[] g = full.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < g.length;) {
            int j = i;
            while (j < g.length && g[j].equals("0")) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(j, i + 1);
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestStart + bestLen, g.length));
        return head + "::" + tail;
    }
}
