package org.vigil.lb.nft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.lb.nft.internal.Services.key;
import static org.vigil.lb.nft.internal.Services.rs;
import static org.vigil.lb.nft.internal.Services.sorry;
import static org.vigil.lb.nft.internal.Services.vs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.lb.Destination;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/**
 * The driver's transactions: what it hands nft and conntrack for each batch. The programs are
 * recorded here (their answers scripted); the namespace test runs the real ones.
 */
class NftDriverTest {
    private static final ServiceKey WEB = key("192.0.2.249", "tcp", 80);

    private final List<List<String>> argvs = new ArrayList<>();
    private final List<String> scripts = new ArrayList<>();
    private final List<Commands.Result> answers = new ArrayList<>();
    private final Commands recorder = (argv, stdin) -> {
        argvs.add(argv);
        scripts.add(stdin);
        return answers.isEmpty() ? new Commands.Result(0, "") : answers.remove(0);
    };
    private final NftDriver driver = new NftDriver(recorder, List.of("nft"), List.of("conntrack"), "vigil");

    @Test
    void theFirstBatchReplacesTheTableWholeInOneTransaction() throws IOException {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of());
        assertThat(argvs).containsExactly(List.of("nft", "-f", "-"));
        assertThat(scripts.get(0)).startsWith("add table inet vigil\ndelete table inet vigil\nadd table inet vigil\n")
                .contains("add element inet vigil services4 { 192.0.2.249 . tcp . 80 : jump vs_192_0_2_249_tcp_80 }");
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        assertThat(scripts.get(1)).doesNotContain("table").startsWith("flush chain inet vigil vs_192_0_2_249_tcp_80\n");
        // the same pool again: no transaction at all
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        assertThat(scripts).hasSize(2);
    }

    @Test
    void whatOnlyAHeldTableNeedsStartsWithTheFirstBatchThatProgramsOne() throws IOException {
        List<String> started = new ArrayList<>();
        driver.whenFirstProgrammed(() -> started.add("verifier"));
        // no virtual server: nothing programmed, nothing to read back (no verifier thread, no nft list every 30 s)
        driver.apply(List.of(), List.of());
        assertThat(started).isEmpty();
        assertThat(argvs).isEmpty();
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of());
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.22", 80, 1))), List.of());
        assertThat(started).containsExactly("verifier");
        // a hook given after the first batch runs at once
        driver.whenFirstProgrammed(() -> started.add("late"));
        assertThat(started).containsExactly("verifier", "late");
    }

    @Test
    void aServerLeavingThePoolHasItsConnectionsDeletedAfterTheTransaction() throws IOException {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 8080, 1))), List.of());
        answers.add(new Commands.Result(0, ""));
        answers.add(new Commands.Result(0, "conntrack v1.4.7 (conntrack-tools): 2 flow entries have been deleted."));
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of());
        assertThat(argvs.get(1)).containsExactly("nft", "-f", "-");
        assertThat(argvs.get(2)).containsExactly("conntrack", "-D", "-f", "ipv4", "-p", "tcp", "--orig-dst",
                "192.0.2.249", "--orig-port-dst", "80", "--reply-src", "192.0.2.22", "--reply-port-src", "8080");
    }

    @Test
    void weightZeroAndTheSorryServerLeavingKeepTheirConnections() throws IOException {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        // inhibited (weight 0): no new connections, established ones finish, as with IPVS
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 0))), List.of());
        assertThat(argvs).allMatch(a -> a.get(0).equals("nft"));
        // all down: the sorry server replaces the pool; the dead servers' connections go
        driver.apply(List.of(sorry(WEB, rs("192.0.2.30", 80, 1))), List.of());
        assertThat(argvs.stream().filter(a -> a.get(0).equals("conntrack")).map(a -> a.get(a.indexOf("--reply-src") + 1)))
                .containsExactly("192.0.2.21", "192.0.2.22");
        int before = argvs.size();
        // back from sorry: the sorry server is alive, its clients are not cut
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of());
        assertThat(argvs.subList(before, argvs.size())).allMatch(a -> a.get(0).equals("nft"));
    }

    @Test
    void aRefusedTransactionIsRetriedAsAWholeRebuild() throws IOException {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of());
        answers.add(new Commands.Result(1, "Error: Could not process rule: No such file or directory"));
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.22", 80, 1))), List.of());
        // the refused script, the rebuild, then conntrack for the server that left
        assertThat(argvs).hasSize(4);
        assertThat(argvs.get(3).get(0)).isEqualTo("conntrack");
        assertThat(scripts.get(2)).startsWith("add table inet vigil\ndelete table inet vigil\n")
                .contains("dnat ip to 192.0.2.22:80").doesNotContain("192.0.2.21:80");
    }

    @Test
    void aBatchNftablesRefusesIsKeptAndAppliedWholeLater() throws IOException {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of());
        // the change and its rebuild both refused (nft gone for a moment, say)
        answers.add(new Commands.Result(1, "Error: busy"));
        answers.add(new Commands.Result(1, "Error: busy"));
        assertThatThrownBy(() -> driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.22", 80, 1))), List.of()))
                .isInstanceOf(IOException.class);
        // the periodic verification applies it (one whole transaction), then reads the table back
        answers.add(new Commands.Result(0, ""));
        answers.add(new Commands.Result(0, "{\"nftables\": []}"));
        driver.verify(true);
        assertThat(scripts.get(3)).startsWith("add table inet vigil\ndelete table inet vigil\n")
                .contains("dnat ip to 192.0.2.22:80").doesNotContain("192.0.2.21:80");
        assertThat(driver.programmed()).singleElement().satisfies(v -> assertThat(v.destinations().get(0).address()
                .getAddress().getHostAddress()).isEqualTo("192.0.2.22"));
        // a batch after a refusal is applied whole, with everything wanted so far
        ServiceKey other = key("192.0.2.249", "tcp", 443);
        answers.add(new Commands.Result(1, "Error: busy"));
        answers.add(new Commands.Result(1, "Error: busy"));
        assertThatThrownBy(() -> driver.apply(List.of(vs(other, "rr", rs("192.0.2.23", 443, 1))), List.of()))
                .isInstanceOf(IOException.class);
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.22", 80, 1), rs("192.0.2.21", 80, 1))), List.of());
        String last = scripts.get(scripts.size() - 1);
        assertThat(last).startsWith("add table inet vigil\ndelete table inet vigil\n").contains("192.0.2.23:443")
                .contains("192.0.2.21:80");
    }

    @Test
    void theFirstBatchFailingIsTheCheckersError() {
        answers.add(new Commands.Result(1, "Error: Operation not permitted"));
        assertThatThrownBy(() -> driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("Operation not permitted");
    }

    @Test
    void removedServicesGoAndStopDeletesTheTable() throws IOException {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of());
        driver.apply(List.of(), List.of(WEB));
        assertThat(scripts.get(1)).startsWith("delete element inet vigil services4 { 192.0.2.249 . tcp . 80 }\n");
        driver.close();
        assertThat(scripts.get(2)).isEqualTo("add table inet vigil\ndelete table inet vigil\n");
    }

    @Test
    void withoutVirtualServersNoRulesetIsTouchedButALeftoverTableIsDeleted() throws IOException {
        driver.apply(List.of(), List.of());
        driver.close();
        assertThat(argvs).isEmpty();
        answers.add(new Commands.Result(0, "table ip filter\ntable inet vigil\n"));
        assertThat(driver.probe()).isEmpty();
        driver.apply(List.of(), List.of());
        assertThat(argvs.get(0)).containsExactly("nft", "list", "tables");
        assertThat(scripts.get(1)).isEqualTo("add table inet vigil\ndelete table inet vigil\n");
        driver.apply(List.of(), List.of());
        assertThat(argvs).hasSize(2);
    }

    @Test
    void aServiceRefusedOnceItsRealServersShowDrLeavesTheKernel() throws IOException {
        // first with no real server: nothing shows its lb_kind, so it is programmed (empty)
        driver.apply(List.of(vs(WEB, "rr")), List.of());
        VirtualService dr = new VirtualService(WEB, "rr", List.of(), 0, "",
                List.of(new Destination(new InetSocketAddress(Services.ip("192.0.2.21"), 80), 1, "DR")), false);
        assertThat(driver.refuse(dr)).isPresent();
        driver.apply(List.of(), List.of());
        assertThat(scripts.get(1)).startsWith("delete element inet vigil services4 { 192.0.2.249 . tcp . 80 }\n");
        // its real server fails: the pool is empty again, and the service stays refused
        assertThat(driver.refuse(vs(WEB, "rr"))).isPresent();
        // reconfigured as NAT: accepted
        assertThat(driver.refuse(vs(WEB, "rr", rs("192.0.2.21", 80, 1)))).isEmpty();
        assertThat(driver.refuse(vs(WEB, "rr"))).isEmpty();
    }

    @Test
    void drAndTunAreRefusedWithTheReason() {
        VirtualService dr = new VirtualService(WEB, "rr", List.of(), 0, "",
                List.of(new Destination(new InetSocketAddress(Services.ip("192.0.2.21"), 80), 1, "DR")), false);
        assertThat(driver.refuse(dr)).hasValueSatisfying(r -> assertThat(r).startsWith("lb_kind DR for real server")
                .contains("nftables only rewrites addresses (NAT)"));
        VirtualService tun = new VirtualService(WEB, "rr", List.of(), 0, "",
                List.of(new Destination(new InetSocketAddress(Services.ip("192.0.2.21"), 80), 1, "TUN")), false);
        assertThat(driver.refuse(tun)).isPresent();
        VirtualService mixed = vs(WEB, "rr", rs("2001:db8::21", 80, 1));
        assertThat(driver.refuse(mixed)).hasValueSatisfying(r -> assertThat(r).contains("family"));
        assertThat(driver.refuse(vs(WEB, "rr", rs("192.0.2.21", 80, 1)))).isEmpty();
    }
}
