package org.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.vigil.itests.VigilOnFelixIT.address;
import static org.vigil.itests.VigilOnFelixIT.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.LinkListener;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.VrrpService;
import org.vigil.codec.VrrpCodec;
import org.vigil.driver.sim.SimFrame;
import org.vigil.driver.sim.SimLanEndpoint;

/**
 * The swap contract on Felix: a second interface driver comes and goes, by ranking and by
 * {@code vrrp:driver NAME}, while the election core runs. The peer on the simulated LAN (this
 * test) watches the wire for a priority-0 advert and for gaps between Vigil's adverts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DriverSwapIT {
    private static final String LAN_PORT = "vigil.it.swap.lanPort";
    private static final String CORE_COMPONENT = "org.vigil.core.internal.ElectionCore";
    private static final InetAddress GROUP4 = address("224.0.0.18");
    private static final InetAddress VIGIL = address("192.0.2.11");
    private static final InetAddress PEER = address("192.0.2.20");
    /** VI_1: advert_int 0.1. */
    private static final long VI_1_ADVERT_MICROS = 100_000;
    /** VI_2: advert_int 1. */
    private static final long VI_2_ADVERT_MICROS = 1_000_000;
    /**
     * Scheduling allowance on top of the two intervals: a swap that costs exactly the advert in
     * flight gives a gap of two intervals plus the wake-up latency of the election thread and of
     * this peer's receiver; on a loaded 2-core host (builds and a lab benchmark beside it) that
     * reached 203.6 ms for VI_1 in one of five runs.
     */
    private static final long SCHEDULING_ALLOWANCE_MICROS = 25_000;

    @Inject
    BundleContext context;

    @Inject
    VrrpService vrrp;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    CommandProcessor commands;

    @Inject
    ServiceComponentRuntime scr;

    private SimLanEndpoint peer;
    /** Vigil's adverts as the peer receives them: receive time (µs), VRID, priority. */
    private final List<long[]> adverts = new CopyOnWriteArrayList<>();
    private final List<ServiceRegistration<?>> registered = new ArrayList<>();

    @Configuration
    public Option[] config() throws IOException {
        int lanPort = 45_000 + 16 * (int) (Math.random() * 100);
        System.setProperty(LAN_PORT, Integer.toString(lanPort));
        Path conf = Files.createTempFile("vigil-swap-it-", ".conf");
        Files.writeString(conf, String.join("\n",
                "! written by DriverSwapIT",
                "vrrp_instance VI_1 {",
                "    interface lan0",
                "    virtual_router_id 61",
                "    priority 200",
                "    version 3",
                "    advert_int 0.1",
                "    virtual_ipaddress {",
                "        192.0.2.161/24",
                "    }",
                "}",
                "vrrp_instance VI_2 {",
                "    interface lan0",
                "    virtual_router_id 62",
                "    priority 150",
                "    advert_int 1",
                "    authentication {",
                "        auth_type PASS",
                "        auth_pass s3cret",
                "    }",
                "    virtual_ipaddress {",
                "        192.0.2.162/24",
                "    }",
                "}",
                "vrrp_instance VI_3 {",
                "    interface lan0",
                "    virtual_router_id 63",
                "    priority 100",
                "    version 3",
                "    advert_int 0.1",
                "    virtual_ipaddress {",
                "        192.0.2.163/24",
                "    }",
                "}", ""));
        return options(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"),
                frameworkProperty("vigil.config.file").value(conf.toString()),
                VigilBundles.infrastructure(),
                VigilBundles.ours("api", "codec", "script", "auth", "driver.sim", "core", "config", "shell"),
                junitBundles());
    }



    @Before
    public void joinLan() throws Exception {
        int lanPort = Integer.getInteger(LAN_PORT);
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("org.vigil.driver.sim", "?");
        if (c.getProperties() == null) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("lan.port", lanPort);
            p.put("node", "vigil");
            p.put("interfaces", new String[] { "lan0 192.0.2.11/24 fe80::11" });
            c.update(p);
        }
        peer = SimLanEndpoint.open(lanPort, SimLanEndpoint.DEFAULT_SLOTS, this::heard);
    }

    @After
    public void leaveLan() throws Exception {
        for (ServiceRegistration<?> r : registered) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered by the test itself
            }
        }
        vrrp.selectDriver(null);
        peer.close();
    }

    private void heard(SimFrame f) {
        if (f.kind() == SimFrame.Kind.IP_PACKET && f.source().equals(VIGIL) && f.protocol() == VrrpCodec.IP_PROTOCOL
                && f.payload().length > 2) {
            adverts.add(new long[] { System.nanoTime() / 1_000, f.payload()[1] & 0xff, f.payload()[2] & 0xff });
        }
    }

    @Test
    public void swappingDriversKeepsTheCoreItsStatesAndTheWireQuiet() throws Exception {
        // VI_3 is the backup of a peer with priority 250
        VigilOnFelixIT.Advertiser master = VigilOnFelixIT.Advertiser.start(peer, 3, 63, 250, 10, PEER, GROUP4);
        try {
            await("VI_1 and VI_2 MASTER, VI_3 BACKUP", () -> state("VI_1") == InstanceState.MASTER
                    && state("VI_2") == InstanceState.MASTER && state("VI_3") == InstanceState.BACKUP, 15_000);
            await("sim active", () -> vrrp.activeDriver().equals(Optional.of("sim")), 5_000);
            long coreId = coreConfigurationId();
            Map<String, InstanceStatus> before = snapshot();
            adverts.clear();
            long start = System.nanoTime() / 1_000;

            // a second driver with a higher ranking replaces sim; the registration returns once it is active
            long swap = System.nanoTime() / 1_000;
            ServiceRegistration<InterfaceDriver> second = register("sim-b", 0);
            assertEquals(Optional.of("sim-b"), vrrp.activeDriver());
            awaitAdvertsSince("sim-b registered", swap);
            // back to sim by name, then to the ranking again, each with the console command
            swap = System.nanoTime() / 1_000;
            String byName = run("vrrp:driver sim");
            assertTrue(byName, byName.contains("*  sim ") && byName.contains("Selected by name: sim."));
            assertEquals(Optional.of("sim"), vrrp.activeDriver());
            awaitAdvertsSince("vrrp:driver sim", swap);
            swap = System.nanoTime() / 1_000;
            String auto = run("vrrp:driver auto");
            assertTrue(auto, auto.contains("*  sim-b") && auto.contains("Selected by ranking."));
            awaitAdvertsSince("vrrp:driver auto", swap);
            // the active driver goes away: the core falls back to sim before unregister returns
            swap = System.nanoTime() / 1_000;
            second.unregister();
            assertEquals(Optional.of("sim"), vrrp.activeDriver());
            awaitAdvertsSince("sim-b unregistered", swap);
            long end = System.nanoTime() / 1_000;

            assertEquals("the core was never deactivated", coreId, coreConfigurationId());
            Map<String, InstanceStatus> after = snapshot();
            for (String name : List.of("VI_1", "VI_2", "VI_3")) {
                InstanceStatus b = before.get(name);
                InstanceStatus a = after.get(name);
                assertEquals(name + " state", b.state(), a.state());
                assertEquals(name + " became master", b.counters().becameMaster(), a.counters().becameMaster());
                assertEquals(name + " held VIPs", b.heldAddresses(), a.heldAddresses());
                if (a.state() == InstanceState.MASTER) {
                    assertTrue(name + " adverts sent keep growing",
                            a.counters().advertsSent() > b.counters().advertsSent());
                } else {
                    assertTrue(name + " adverts received keep growing",
                            a.counters().advertsReceived() > b.counters().advertsReceived());
                }
            }
            assertTrue("no priority-0 advert on the wire", adverts.stream().noneMatch(a -> a[2] == 0));
            assertTrue("VI_3 (backup) stayed silent", adverts.stream().noneMatch(a -> a[1] == 63));
            long gap1 = longestGap(61, start, end);
            long gap2 = longestGap(62, start, end);
            long bound1 = 2 * VI_1_ADVERT_MICROS + SCHEDULING_ALLOWANCE_MICROS;
            long bound2 = 2 * VI_2_ADVERT_MICROS + SCHEDULING_ALLOWANCE_MICROS;
            System.out.printf("DriverSwapIT: longest advert gap across 4 swaps: VI_1 %.1f ms (advert_int 100 ms, "
                    + "bound %.0f ms), VI_2 %.1f ms (advert_int 1000 ms, bound %.0f ms)%n",
                    gap1 / 1e3, bound1 / 1e3, gap2 / 1e3, bound2 / 1e3);
            // the contract: a swap costs at most one advert interval, so no gap reaches two intervals
            // (plus scheduling); master down, three intervals and the skew, would already let a backup take over
            assertTrue("VI_1 gap " + gap1 + " µs, two intervals and the allowance " + bound1 + " µs", gap1 < bound1);
            assertTrue("VI_2 gap " + gap2 + " µs, two intervals and the allowance " + bound2 + " µs", gap2 < bound2);
        } finally {
            master.stop();
        }
    }

    @Test
    public void anAbsentSelectedDriverIsAPreferenceTheBestRemainingOneCarriesTheInstances() throws Exception {
        await("VI_1 MASTER", () -> state("VI_1") == InstanceState.MASTER, 15_000);
        long coreId = coreConfigurationId();

        // selected but absent: sim keeps carrying the instances (issue 8 item 5)
        String absent = run("vrrp:driver sim-c");
        assertTrue(absent, absent.contains("No driver named 'sim-c' is present: sim carries the instances"));
        assertEquals(Optional.of("sim"), vrrp.activeDriver());
        assertEquals(InstanceState.MASTER, state("VI_1"));

        // it appears, ranked below sim: being selected, it takes over
        register("sim-c", -200);
        assertEquals(Optional.of("sim-c"), vrrp.activeDriver());
        assertTrue(vrrp.instances().stream().noneMatch(s -> s.state() == InstanceState.FAULT));
        assertEquals(coreId, coreConfigurationId());
    }

    /** A second driver: its own service, on the sim driver's channels (a swap changes the object the core uses). */
    private ServiceRegistration<InterfaceDriver> register(String name, int ranking) throws Exception {
        ServiceReference<InterfaceDriver> simRef = context
                .getServiceReferences(InterfaceDriver.class, "(" + InterfaceDriver.NAME_PROPERTY + "=sim)").stream()
                .findFirst().orElseThrow();
        InterfaceDriver sim = context.getService(simRef);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(InterfaceDriver.NAME_PROPERTY, name);
        props.put(Constants.SERVICE_RANKING, ranking);
        ServiceRegistration<InterfaceDriver> r = context.registerService(InterfaceDriver.class, new Delegating(name, sim),
                props);
        registered.add(r);
        return r;
    }

    static final class Delegating implements InterfaceDriver {
        private final String name;
        private final InterfaceDriver sim;

        Delegating(String name, InterfaceDriver sim) {
            this.name = name;
            this.sim = sim;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public PacketChannel open(ChannelSpec spec, PacketListener listener) throws IOException {
            return sim.open(spec, listener);
        }

        @Override
        public Optional<LinkInfo> link(String interfaceName) {
            return sim.link(interfaceName);
        }

        @Override
        public AutoCloseable watchLinks(LinkListener listener) {
            return sim.watchLinks(listener);
        }

        @Override
        public void sendFrame(String interfaceName, byte[] frame, int offset, int length) throws IOException {
            sim.sendFrame(interfaceName, frame, offset, length);
        }
    }

    private long coreConfigurationId() {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (CORE_COMPONENT.equals(d.name)) {
                List<ComponentConfigurationDTO> configs = new ArrayList<>(scr.getComponentConfigurationDTOs(d));
                assertEquals("one core configuration", 1, configs.size());
                assertEquals(ComponentConfigurationDTO.ACTIVE, configs.get(0).state);
                return configs.get(0).id;
            }
        }
        throw new AssertionError("no component " + CORE_COMPONENT);
    }

    private Map<String, InstanceStatus> snapshot() {
        Map<String, InstanceStatus> out = new TreeMap<>();
        vrrp.instances().forEach(s -> out.put(s.name(), s));
        return out;
    }

    /**
     * Waits until the adverts flow again after a swap begun at {@code since} (µs): three of VI_1 and
     * two of VI_2, so the gap across the swap and a steady interval after it are on record.
     */
    private void awaitAdvertsSince(String swap, long since) throws InterruptedException {
        await("VI_1 and VI_2 advertising after " + swap, () -> heardSince(61, since) >= 3 && heardSince(62, since) >= 2,
                10_000, () -> "VI_1 " + heardSince(61, since) + ", VI_2 " + heardSince(62, since) + " adverts");
    }

    private long heardSince(int vrid, long since) {
        return adverts.stream().filter(a -> a[1] == vrid && a[0] >= since).count();
    }

    /** The longest time between two adverts of the VRID heard in [start, end], µs. */
    private long longestGap(int vrid, long start, long end) {
        long previous = start;
        long longest = 0;
        for (long[] a : adverts) {
            if (a[1] == vrid && a[0] >= start && a[0] <= end) {
                longest = Math.max(longest, a[0] - previous);
                previous = a[0];
            }
        }
        return Math.max(longest, end - previous);
    }

    private InstanceState state(String name) {
        return vrrp.instance(name).map(InstanceStatus::state).orElse(null);
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = commands.createSession(System.in, ps, ps)) {
            Object result = session.execute(command);
            if (result != null) {
                ps.println(session.format(result, Converter.INSPECT));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
