package org.vigil.lb.ipvs.internal;

import static org.vigil.lb.ipvs.internal.IpvsMessages.*;

import java.io.IOException;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.lb.Destination;
import org.vigil.api.lb.LoadBalancerDriver;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;
import org.vigil.lb.ipvs.internal.IpvsPlan.Programmed;

/**
 * The IPVS driver: keeps what it last programmed per service and turns each batch of the
 * checker's into the fewest IPVS commands ({@link IpvsPlan#diff}), sent as one exchange. IPVS
 * has no transactions: the commands run in order, each acknowledged. Where the kernel's state is
 * not what the driver remembers (a service or destination left by an earlier run, or deleted by
 * hand with ipvsadm), the command is turned round once: NEW that finds it there becomes SET, SET
 * or a destination command that finds the service gone re-creates the service whole, a delete of
 * something already gone counts as done. A service still failing after that is forgotten, so the
 * next batch programs it afresh, and the failure is thrown for the checker to log.
 */
final class IpvsDriver implements LoadBalancerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(IpvsDriver.class);
    static final int ESRCH = 3;
    static final int ENOENT = 2;
    static final int EEXIST = 17;

    private final Transport transport;
    private final int family;
    private final Map<ServiceKey, Programmed> applied = new LinkedHashMap<>();
    private final Map<ServiceKey, VirtualService> wanted = new LinkedHashMap<>();
    private long commandsSent;

    /** @param family the IPVS generic netlink family id, as CTRL_CMD_GETFAMILY answered */
    IpvsDriver(Transport transport, int family) {
        this.transport = transport;
        this.family = family;
    }

    @Override
    public String name() {
        return "ipvs";
    }

    @Override
    public Optional<String> refuse(VirtualService service) {
        ServiceKey key = service.key();
        if (!List.of("tcp", "udp", "sctp").contains(key.protocol())) {
            return Optional.of("protocol " + key.protocol() + " is not one IPVS balances (tcp, udp, sctp)");
        }
        String sched = IpvsPlan.service(service).scheduler();
        if (sched.length() > 15) {
            return Optional.of("lvs_sched " + sched + " is longer than IPVS's 15-character scheduler names");
        }
        for (Destination d : service.destinations()) {
            boolean v6 = d.address().getAddress() instanceof Inet6Address;
            String m = d.method() == null ? "NAT" : d.method().trim().toUpperCase(Locale.ROOT);
            if (v6 != key.ipv6() && !m.startsWith("TUN")) {
                return Optional.of("real server " + d.address() + " is not of the virtual service's family:"
                        + " IPVS mixes families only with lb_kind TUN");
            }
        }
        return Optional.empty();
    }

    /** A command and the service it belongs to (to forget that service if it fails). */
    private record Step(ServiceKey key, Command command) {
    }

    @Override
    public synchronized void apply(List<VirtualService> services, List<ServiceKey> removed) throws IOException {
        Map<ServiceKey, Programmed> next = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        for (ServiceKey k : removed) {
            Programmed was = applied.get(k);
            if (was != null) {
                steps.add(new Step(k, IpvsPlan.remove(was)));
            }
        }
        for (VirtualService s : services) {
            Programmed p = IpvsPlan.of(s);
            next.put(s.key(), p);
            for (Command c : IpvsPlan.diff(applied.get(s.key()), p)) {
                steps.add(new Step(s.key(), c));
            }
        }
        Set<ServiceKey> failed = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        if (!steps.isEmpty()) {
            int[] results = send(steps);
            List<Step> retries = new ArrayList<>();
            Set<ServiceKey> rebuilt = new LinkedHashSet<>();
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                int error = -results[i];
                if (error == 0 || rebuilt.contains(st.key()) && st.command().cmd() != CMD_DEL_SERVICE) {
                    continue;
                }
                Command c = st.command();
                int cmd = c.cmd();
                if (cmd == CMD_DEL_SERVICE && error == ESRCH || cmd == CMD_DEL_DEST && error == ENOENT) {
                    continue; // already gone
                }
                if (cmd == CMD_NEW_SERVICE && error == EEXIST) {
                    retries.add(new Step(st.key(), new Command(CMD_SET_SERVICE, c.service(), null)));
                } else if (cmd == CMD_NEW_DEST && error == EEXIST) {
                    retries.add(new Step(st.key(), new Command(CMD_SET_DEST, c.service(), c.dest())));
                } else if (cmd == CMD_SET_DEST && error == ENOENT) {
                    retries.add(new Step(st.key(), new Command(CMD_NEW_DEST, c.service(), c.dest())));
                } else if (error == ESRCH && next.containsKey(st.key())) {
                    // the service is not in the kernel any more: program it whole
                    rebuilt.add(st.key());
                    retries.removeIf(r -> r.key().equals(st.key()));
                    for (Command whole : IpvsPlan.diff(null, next.get(st.key()))) {
                        retries.add(new Step(st.key(), whole));
                    }
                } else {
                    failed.add(st.key());
                    errors.add(c.text() + ": " + transport.strerror(error) + " (errno " + error + ")");
                }
            }
            if (!retries.isEmpty()) {
                LOG.info("IPVS: the kernel's pools differ from what this driver programmed ({} commands turned round,"
                        + " e.g. {})", retries.size(), retries.get(0).command().text());
                int[] again = send(retries);
                for (int i = 0; i < retries.size(); i++) {
                    if (again[i] != 0) {
                        failed.add(retries.get(i).key());
                        errors.add(retries.get(i).command().text() + ": " + transport.strerror(-again[i])
                                + " (errno " + -again[i] + ")");
                    }
                }
            }
        }
        for (ServiceKey k : removed) {
            applied.remove(k);
            wanted.remove(k);
        }
        for (VirtualService s : services) {
            if (failed.contains(s.key())) {
                applied.remove(s.key());
                wanted.remove(s.key());
            } else {
                applied.put(s.key(), next.get(s.key()));
                wanted.put(s.key(), s);
            }
        }
        if (!errors.isEmpty()) {
            throw new IOException("IPVS refused " + errors.size() + " command(s): " + String.join("; ",
                    errors.subList(0, Math.min(3, errors.size()))));
        }
    }

    private int[] send(List<Step> steps) throws IOException {
        List<byte[]> messages = new ArrayList<>(steps.size());
        int[] sequences = new int[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            sequences[i] = transport.nextSequence();
            messages.add(steps.get(i).command().bytes(family, sequences[i]));
        }
        commandsSent += steps.size();
        return transport.exchange(messages, sequences);
    }

    /** Removes every service this driver programmed (on stop: a pool nobody checks must not go on balancing). */
    synchronized void close() {
        if (applied.isEmpty()) {
            return;
        }
        List<Step> steps = new ArrayList<>();
        applied.forEach((k, p) -> steps.add(new Step(k, IpvsPlan.remove(p))));
        try {
            send(steps);
        } catch (IOException e) {
            LOG.warn("IPVS: could not remove the virtual services on stop: {}", e.getMessage());
        }
        applied.clear();
        wanted.clear();
    }

    /** What the driver last programmed. */
    synchronized List<VirtualService> programmed() {
        return List.copyOf(wanted.values());
    }

    synchronized long commandsSent() {
        return commandsSent;
    }
}
