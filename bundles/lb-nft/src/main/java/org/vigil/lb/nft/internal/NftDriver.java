package org.vigil.lb.nft.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.lb.Destination;
import org.vigil.api.lb.LoadBalancerDriver;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/**
 * The nftables driver: keeps what it last programmed per service and turns each batch of the
 * checker's into one {@code nft -f -} transaction of only the differences. The first batch
 * replaces the table whole (delete and create in the same transaction), so whatever an earlier
 * run or a crash left keeps serving until then and is never half-replaced. A transaction the
 * kernel refuses (someone edited the table) is retried once as a whole rebuild. After the
 * transaction, the connections of real servers that left a pool are deleted from conntrack.
 */
final class NftDriver implements LoadBalancerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(NftDriver.class);

    private final Commands commands;
    private final List<String> nft;
    private final List<String> conntrack;
    private final NftScript script;
    private final Map<ServiceKey, Applied> applied = new LinkedHashMap<>();
    private final Set<String> notes = new HashSet<>();
    /** Services refused since the last apply: the checker leaves them out of the batch, so they must go. */
    private final Set<ServiceKey> refused = new HashSet<>();
    /** Why each refused service was refused, while it is. */
    private final Map<ServiceKey, String> refusals = new java.util.HashMap<>();
    private final java.util.function.Predicate<Boolean> forwards;
    private final Set<Boolean> familiesAsked = new HashSet<>();
    private boolean fresh = true;
    /** What the checker wants that nftables refused (null: the kernel holds what it wants). */
    private Map<ServiceKey, Applied> unapplied;
    /** Whether table inet TABLE existed before this driver's first transaction (a crashed run's). */
    private boolean leftover;
    private long transactions;
    /** Run once, at the first batch that programs something (or fails to): what only a held table needs starts then. */
    private Runnable firstProgram = () -> { };
    private boolean programming;

    private record Applied(VirtualService service, Plan plan) {
    }

    /**
     * @param nft       the nft program's argv (for example [nft], or [ip, netns, exec, NS, nft])
     * @param conntrack the conntrack program's argv
     */
    NftDriver(Commands commands, List<String> nft, List<String> conntrack, String table) {
        this(commands, nft, conntrack, table, ipv6 -> true);
    }

    /** @param forwards whether the director forwards that family (ipv6 = true), asked once per family */
    NftDriver(Commands commands, List<String> nft, List<String> conntrack, String table,
            java.util.function.Predicate<Boolean> forwards) {
        this.forwards = forwards;
        this.commands = commands;
        this.nft = List.copyOf(nft);
        this.conntrack = List.copyOf(conntrack);
        this.script = new NftScript(table);
    }

    @Override
    public String name() {
        return "nft";
    }

    String table() {
        return script.table();
    }

    @Override
    public synchronized Optional<String> refuse(VirtualService service) {
        Optional<String> reason = reason(service);
        if (reason.isEmpty() && service.destinations().isEmpty()) {
            // lb_kind is the real servers': an empty pool shows none, so a refused service stays refused
            reason = Optional.ofNullable(refusals.get(service.key()));
        }
        if (reason.isPresent()) {
            refusals.put(service.key(), reason.get());
            // programmed earlier (say with no real server yet, when its lb_kind could not show): taken out next apply
            refused.add(service.key());
        } else {
            refusals.remove(service.key());
        }
        return reason;
    }

    private Optional<String> reason(VirtualService service) {
        ServiceKey key = service.key();
        if (!List.of("tcp", "udp", "sctp").contains(key.protocol())) {
            return Optional.of("protocol " + key.protocol() + " is not one nftables can translate ports of");
        }
        for (Destination d : service.destinations()) {
            String m = d.method() == null ? "NAT" : d.method().toUpperCase(java.util.Locale.ROOT);
            if (m.startsWith("DR") || m.startsWith("TUN")) {
                return Optional.of("lb_kind " + m + " for real server " + text(key, d.address())
                        + ": nftables only rewrites addresses (NAT); DR (layer-2 forwarding to the real server's MAC)"
                        + " and TUN (IP-in-IP) need IPVS, which this kernel lacks; use lb_kind NAT");
            }
            if ((d.address().getAddress() instanceof java.net.Inet6Address) != key.ipv6()) {
                return Optional.of("real server " + text(key, d.address()) + " is not of the virtual service's family"
                        + " (no NAT64/NAT46)");
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void apply(List<VirtualService> services, List<ServiceKey> removed) throws IOException {
        if (!refused.isEmpty()) {
            List<ServiceKey> all = new ArrayList<>(removed);
            for (ServiceKey k : refused) {
                if (applied.containsKey(k) && services.stream().noneMatch(s -> s.key().equals(k))) {
                    all.add(k);
                }
            }
            refused.clear();
            removed = all;
        }
        if (fresh && services.isEmpty()) {
            // no virtual server: touch no ruleset (the daemon may run in a namespace with a firewall of its own),
            // except to delete what an earlier run left, which would go on translating for a pool nobody checks
            if (leftover) {
                run(script.drop());
                leftover = false;
                LOG.info("nftables: deleted table inet {} left by an earlier run", table());
            }
            return;
        }
        if (!programming) {
            programming = true;
            firstProgram.run();
        }
        // after a refused batch the kernel holds neither it nor what came since: rebuild from what is wanted
        boolean rebuild = fresh || unapplied != null;
        Map<ServiceKey, Applied> next = new LinkedHashMap<>(unapplied != null ? unapplied : fresh ? Map.of() : applied);
        List<String> commandsNow = new ArrayList<>();
        List<Runnable> after = new ArrayList<>();
        for (ServiceKey k : removed) {
            Applied was = next.remove(k);
            if (was != null && !rebuild) {
                commandsNow.addAll(script.remove(was.plan()));
            }
        }
        for (VirtualService s : services) {
            Plan plan = Plan.of(s);
            if (familiesAsked.add(s.key().ipv6()) && !forwards.test(s.key().ipv6())) {
                String sysctl = s.key().ipv6() ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward";
                LOG.warn("nftables: {} is 0 here, so NAT virtual services of that family do not forward"
                        + " (sysctl -w {}=1)", sysctl, sysctl);
            }
            Scheduling.of(s.scheduler(), s.schedulerFlags()).note()
                    .filter(n -> notes.add(s.key().text() + n))
                    .ifPresent(n -> LOG.info("nftables: VS {} {}", s.key().text(), n));
            Applied was = next.put(s.key(), new Applied(s, plan));
            if (!rebuild) {
                commandsNow.addAll(script.put(was == null ? null : was.plan(), plan));
            }
            Applied before = applied.get(s.key());
            if (before != null) {
                for (Destination gone : gone(before.service(), s)) {
                    after.add(() -> forget(s.key(), gone));
                }
            }
        }
        if (rebuild) {
            commandsNow = whole(next);
        }
        if (!commandsNow.isEmpty()) {
            try {
                try {
                    run(commandsNow);
                } catch (IOException e) {
                    if (rebuild) {
                        throw e;
                    }
                    LOG.warn("nftables refused a change to table inet {} ({}); rebuilding the whole table", table(),
                            e.getMessage());
                    run(whole(next));
                }
            } catch (IOException e) {
                // kept, and tried again whole with the next batch or the next verification
                unapplied = next;
                throw e;
            }
        }
        unapplied = null;
        applied.clear();
        applied.putAll(next);
        if (fresh && leftover) {
            LOG.info("nftables: replaced table inet {} left by an earlier run", table());
        }
        fresh = false;
        leftover = false;
        after.forEach(Runnable::run);
    }

    /** One transaction that replaces the table with these services. */
    private List<String> whole(Map<ServiceKey, Applied> services) {
        List<String> all = new ArrayList<>(script.reset());
        for (Applied a : services.values()) {
            all.addAll(script.put(null, a.plan()));
        }
        return all;
    }

    /** Real servers of {@code before} absent from {@code now}, unless before was the sorry server (alive). */
    private static List<Destination> gone(VirtualService before, VirtualService now) {
        List<Destination> out = new ArrayList<>();
        if (before.sorry()) {
            return out;
        }
        Set<InetSocketAddress> still = new HashSet<>();
        for (Destination d : now.destinations()) {
            still.add(d.address());
        }
        for (Destination d : before.destinations()) {
            if (!still.contains(d.address())) {
                out.add(d);
            }
        }
        return out;
    }

    private void forget(ServiceKey key, Destination d) {
        try {
            Commands.Result r = commands.run(Conntrack.deleteArgs(conntrack, key, d), "");
            if (!Conntrack.nothingOrDeleted(r)) {
                LOG.warn("conntrack could not delete the connections of {} for VS {}: {}", text(key, d.address()),
                        key.text(), r.output());
            } else if (Conntrack.deleted(r) > 0) {
                LOG.info("Deleted {} connections of {} for VS {} from conntrack", Conntrack.deleted(r),
                        text(key, d.address()), key.text());
            }
        } catch (IOException e) {
            LOG.warn("conntrack could not run ({}): the connections of {} stay until they time out", e.getMessage(),
                    text(key, d.address()));
        }
    }

    private void run(List<String> lines) throws IOException {
        List<String> argv = new ArrayList<>(nft);
        argv.add("-f");
        argv.add("-");
        Commands.Result r = commands.run(argv, NftScript.text(lines));
        if (!r.ok()) {
            throw new IOException("nft exited " + r.exit() + ": " + firstLines(r.output(), 6));
        }
        transactions++;
    }

    /** What to run (once, quickly, under this driver's lock) when the first batch that programs something comes. */
    synchronized void whenFirstProgrammed(Runnable r) {
        firstProgram = r;
        if (programming) {
            r.run();
        }
    }

    /** Removes the table, when this driver made one; called on stop. */
    synchronized void close() {
        if (fresh) {
            return;
        }
        try {
            List<String> argv = new ArrayList<>(nft);
            argv.add("-f");
            argv.add("-");
            Commands.Result r = commands.run(argv, NftScript.text(script.drop()));
            if (!r.ok()) {
                LOG.warn("Could not delete table inet {}: {}", table(), firstLines(r.output(), 3));
            }
        } catch (IOException e) {
            LOG.warn("Could not delete table inet {}: {}", table(), e.getMessage());
        }
        applied.clear();
        fresh = true;
    }

    /** Empty when nft runs and may change the ruleset here; else why not. Notes a table left by an earlier run. */
    synchronized Optional<String> probe() {
        try {
            List<String> argv = new ArrayList<>(nft);
            argv.add("list");
            argv.add("tables");
            Commands.Result r = commands.run(argv, "");
            if (!r.ok()) {
                return Optional.of(String.join(" ", argv) + ": " + firstLines(r.output(), 2));
            }
            leftover = r.output().lines().anyMatch(l -> l.trim().equals("table inet " + table()));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(nft + " cannot run: " + e.getMessage());
        }
    }

    /** The checker's services as last programmed, their plans, the kernel's table, and what differs. */
    record Report(List<VirtualService> wanted, Map<ServiceKey, Plan> plans, KernelView kernel, List<String> differences,
            boolean repaired) {
    }

    /**
     * Reads the table back and compares it with what was programmed; with {@code repair}, a
     * difference is logged and the table rebuilt whole (one transaction).
     */
    synchronized Report verify(boolean repair) throws IOException {
        if (repair && unapplied != null) {
            try {
                run(whole(unapplied));
                applied.clear();
                applied.putAll(unapplied);
                unapplied = null;
                fresh = false;
                leftover = false;
                LOG.info("nftables: table inet {} now holds the pools it refused earlier", table());
            } catch (IOException e) {
                LOG.warn("nftables still refuses the pools for table inet {}: {}", table(), e.getMessage());
            }
        }
        List<String> argv = new ArrayList<>(nft);
        argv.addAll(List.of("-j", "list", "table", "inet", table()));
        Commands.Result r = commands.run(argv, "");
        KernelView kernel;
        if (r.ok()) {
            kernel = KernelView.parse(r.output());
        } else if (fresh) {
            kernel = new KernelView(Map.of(), Map.of(), Map.of());
        } else {
            kernel = null;
        }
        List<String> diffs = new ArrayList<>(kernel == null
                ? List.of("table inet " + table() + " is gone: " + firstLines(r.output(), 1)) : kernel.differences(plans()));
        if (unapplied != null) {
            diffs.add("nftables refused the checker's latest pools; the table holds the ones before");
        }
        boolean repaired = false;
        if (repair && !diffs.isEmpty() && !fresh) {
            LOG.warn("nftables: table inet {} differs from the checker's pools ({}); rebuilding it", table(),
                    String.join("; ", diffs));
            run(whole(applied));
            repaired = true;
        }
        return new Report(programmed(), plans(), kernel, diffs, repaired);
    }

    /** What the driver last programmed (for lb:show). */
    synchronized List<VirtualService> programmed() {
        List<VirtualService> out = new ArrayList<>();
        applied.values().forEach(a -> out.add(a.service()));
        return out;
    }

    synchronized Map<ServiceKey, Plan> plans() {
        Map<ServiceKey, Plan> out = new LinkedHashMap<>();
        applied.forEach((k, a) -> out.put(k, a.plan()));
        return out;
    }

    synchronized long transactions() {
        return transactions;
    }

    List<String> nftProgram() {
        return nft;
    }

    Commands commands() {
        return commands;
    }

    /** keepalived's form of a real server: [192.0.2.21]:tcp:80. */
    static String text(ServiceKey key, InetSocketAddress a) {
        return "[" + Plan.host(a.getAddress()) + "]:" + key.protocol() + ":" + a.getPort();
    }

    private static String firstLines(String s, int n) {
        String[] lines = s.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(n, lines.length); i++) {
            b.append(i == 0 ? "" : " | ").append(lines[i].trim());
        }
        return b.toString();
    }
}
