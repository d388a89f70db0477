package org.vigil.lb.nft.internal;

import org.vigil.api.lb.Destination;
import org.vigil.api.lb.VirtualService;

/** lb:show's text: per virtual service, the checker's pool beside what the kernel holds. */
final class LbText {
    private LbText() {
    }

    static String show(NftDriver.Report r, String table) {
        StringBuilder b = new StringBuilder();
        b.append("nftables table inet ").append(table).append(": ").append(r.wanted().size())
                .append(" virtual services from the checker\n");
        for (VirtualService vs : r.wanted()) {
            Plan p = r.plans().get(vs.key());
            b.append("VS ").append(vs.key().text()).append("  ").append(vs.scheduler())
                    .append(vs.persistenceTimeout() > 0 ? "  persistence " + vs.persistenceTimeout() + " s" : "")
                    .append(vs.sorry() ? "  SORRY SERVER" : "").append("  selector: ")
                    .append(p.slots().isEmpty() ? "no live real server" : p.slots().size() == 1 ? "jump" : p.selector())
                    .append('\n');
            b.append(String.format("  %-32s %7s  %-26s %s%n", "real server", "weight", "kernel", "new connections"));
            for (Destination d : vs.destinations()) {
                Plan.Slot slot = p.slots().stream().filter(s -> s.destination().address().equals(d.address())).findFirst()
                        .orElse(null);
                String kernel;
                String count = "-";
                if (slot == null) {
                    kernel = "not chosen (weight 0)";
                } else {
                    KernelView.Server srv = r.kernel() == null ? null : r.kernel().servers().get(slot.chain());
                    Plan.Slot held = r.kernel() == null ? null : r.kernel().services().getOrDefault(p.chain(), java.util.List.of())
                            .stream().filter(k -> k.chain().equals(slot.chain())).findFirst().orElse(null);
                    String range = held == null ? "unreachable"
                            : held.from() == held.to() ? Long.toString(held.from()) : held.from() + "-" + held.to();
                    kernel = srv == null ? "MISSING" : range + " -> " + srv.target();
                    count = srv == null ? "-" : Long.toString(srv.packets());
                }
                b.append(String.format("  %-32s %7d  %-26s %s%n", NftDriver.text(vs.key(), d.address()), d.weight(), kernel,
                        count));
            }
        }
        if (r.differences().isEmpty()) {
            b.append("kernel matches the checker's pools\n");
        } else {
            b.append("DIFFERENCES:\n");
            r.differences().forEach(d -> b.append("  ").append(d).append('\n'));
            b.append(r.repaired() ? "repaired: the table was rebuilt\n" : "not repaired\n");
        }
        return b.toString();
    }
}
