package org.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
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
import org.osgi.service.cm.ConfigurationAdmin;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.VrrpService;
import org.vigil.codec.ChecksumForm;
import org.vigil.codec.DecodeStatus;
import org.vigil.codec.DecodedAdvert;
import org.vigil.codec.VrrpCodec;
import org.vigil.driver.sim.SimFrame;
import org.vigil.driver.sim.SimLanEndpoint;

/**
 * The resolved bundle set on Felix (SCR, ConfigAdmin, Gogo) loads a keepalived.conf and elects
 * against a peer on the simulated LAN; the peer is this test, speaking VRRP through the codec.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VigilOnFelixIT {
    /** The native container shares this JVM's system properties with the host side. */
    private static final String LAN_PORT = "vigil.it.lanPort";
    private static final InetAddress GROUP4 = address("224.0.0.18");
    private static final InetAddress VIGIL = address("192.0.2.11");
    private static final InetAddress PEER = address("192.0.2.20");
    private static final byte[] PEER_MAC = { 2, 0, 0, 0, 0, 0x20 };

    @Inject
    BundleContext context;

    @Inject
    VrrpService vrrp;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    CommandProcessor commands;

    /** This test's node on the LAN. Per test method: Pax Exam runs each method as its own JUnit request. */
    private SimLanEndpoint peer;
    private final List<SimFrame> heard = new CopyOnWriteArrayList<>();

    @Configuration
    public Option[] config() throws IOException {
        int lanPort = 43_000 + 16 * (int) (Math.random() * 100);
        System.setProperty(LAN_PORT, Integer.toString(lanPort));
        Path conf = Files.createTempFile("vigil-it-", ".conf");
        Files.writeString(conf, String.join("\n",
                "! written by VigilOnFelixIT",
                "global_defs {",
                "    router_id vigil_it   # comment after a keyword",
                "}",
                "vrrp_instance VI_1 {",
                "    state BACKUP",
                "    interface lan0",
                "    virtual_router_id 51",
                "    priority 100",
                "    version 3",
                "    advert_int 0.1",
                "    virtual_ipaddress {",
                "        192.0.2.249/24 dev lan0",
                "    }",
                "}",
                "vrrp_instance VI_2 {",
                "    state BACKUP",
                "    interface lan0",
                "    virtual_router_id 52",
                "    priority 100",
                "    advert_int 1",
                "    authentication {",
                "        auth_type PASS",
                "        auth_pass s3cret",
                "    }",
                "    virtual_ipaddress {",
                "        192.0.2.250/24",
                "    }",
                "}", ""));
        return options(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"),
                frameworkProperty("vigil.config.file").value(conf.toString()),
                frameworkProperty("vigil.log.detail").value("true"),
                VigilBundles.infrastructure(),
                VigilBundles.ours("api", "codec", "script", "auth", "driver.sim", "core", "config", "shell"),
                junitBundles());
    }



    /** The simulated driver joins the test's LAN, configured like any component; then the test joins. */
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
        peer = SimLanEndpoint.open(lanPort, SimLanEndpoint.DEFAULT_SLOTS, heard::add);
    }

    @After
    public void leaveLan() {
        peer.close();
    }

    @Test
    public void electsAgainstAPeerAndFollowsItsPriority() throws Exception {
        await("VI_1 configured from keepalived.conf", () -> vrrp.instance("VI_1").isPresent(), 10_000);

        // A peer with priority 200 advertising every 100 ms keeps Vigil (100) in BACKUP.
        Advertiser strong = Advertiser.start(peer, 3, 51, 200, 10, PEER, GROUP4);
        await("VI_1 BACKUP under a master of priority 200", () -> state("VI_1") == InstanceState.BACKUP
                && PEER.getHostAddress().equals(vrrp.instance("VI_1").get().masterAddress()), 10_000);
        long until = System.currentTimeMillis() + 1_000; // > 3 x 100 ms + skew: Vigil must not take over
        while (System.currentTimeMillis() < until) {
            assertEquals(InstanceState.BACKUP, state("VI_1"));
            Thread.sleep(20);
        }

        // The peer stops with priority 0: Vigil takes over after its skew time (60.9 ms) and says so on the wire.
        strong.stop();
        heard.clear();
        sendAdvert(3, 51, 0, 10);
        await("VI_1 MASTER after the peer's priority-0 advert", () -> state("VI_1") == InstanceState.MASTER, 2_000);
        await("Vigil's adverts and VIP announcement on the wire", () -> vigilAdvert(51) != null && vipAnnounced("192.0.2.249"), 2_000);
        DecodedAdvert mine = vigilAdvert(51);
        assertEquals(3, mine.version());
        assertEquals(100, mine.priority());
        assertEquals(10, mine.advertIntervalCs());
        assertEquals(ChecksumForm.V3_PSEUDO_HEADER, mine.checksumForm());
        assertTrue(mine.containsAddress(address("192.0.2.249").getAddress()));
        assertTrue(vrrp.instance("VI_1").get().heldAddresses().stream().anyMatch(a -> a.startsWith("192.0.2.249")));

        // A higher priority comes back: Vigil yields and releases the VIP.
        Advertiser again = Advertiser.start(peer, 3, 51, 200, 10, PEER, GROUP4);
        try {
            await("VI_1 BACKUP again", () -> state("VI_1") == InstanceState.BACKUP, 2_000);
            assertTrue(vrrp.instance("VI_1").get().heldAddresses().isEmpty());
            assertTrue(vrrp.instance("VI_1").get().counters().becameMaster() >= 1);
        } finally {
            again.stop();
        }
    }

    @Test
    public void passAuthenticationIsCheckedAndABadPacketOnlyCountsADrop() throws Exception {
        await("VI_2 MASTER with a silent LAN (3 x 1 s + skew)", () -> state("VI_2") == InstanceState.MASTER, 10_000);
        await("a VRRPv2 advert of VI_2 with PASS", () -> vigilAdvert(52) != null, 3_000, this::heardSummary);
        DecodedAdvert mine = vigilAdvert(52);
        assertEquals(2, mine.version());
        assertEquals(1, mine.authType());
        String pass = new String(mine.buffer(), mine.authDataOffset(), 6, StandardCharsets.US_ASCII);
        assertEquals("s3cret", pass);

        InstanceStatus before = vrrp.instance("VI_2").get();
        // A higher priority advert with the wrong password must not move Vigil.
        for (int i = 0; i < 5; i++) {
            sendV2(52, 250, "wrong", 1);
            Thread.sleep(100);
        }
        await("the bad adverts are counted as drops", () -> vrrp.instance("VI_2").get().counters().droppedTotal()
                >= before.counters().droppedTotal() + 5, 2_000);
        assertEquals(InstanceState.MASTER, state("VI_2"));
        // ... and with the right one it does.
        for (int i = 0; i < 3; i++) {
            sendV2(52, 250, "s3cret", 1);
            Thread.sleep(100);
        }
        await("VI_2 BACKUP under an authenticated higher priority", () -> state("VI_2") == InstanceState.BACKUP, 2_000);
    }

    @Test
    public void shellCommandsListAndShowInstances() throws Exception {
        await("both instances configured", () -> vrrp.instances().size() == 2, 10_000);
        String list = run("vrrp:list");
        assertTrue(list, list.contains("VI_1"));
        assertTrue(list, list.contains("VI_2"));
        assertTrue(list, list.contains("lan0"));
        String show = run("vrrp:show VI_2");
        assertTrue(show, show.contains("VI_2"));
        assertTrue(show, show.toLowerCase().contains("adverts"));
        assertTrue("no secret in shell output: " + show, !show.contains("s3cret"));
        assertNotEquals("", run("vrrp:driver"));
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = commands.createSession(System.in, ps, ps)) {
            Object result = session.execute(command);
            if (result != null) {
                ps.println(session.format(result, org.apache.felix.service.command.Converter.INSPECT));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private InstanceState state(String name) {
        return vrrp.instance(name).map(InstanceStatus::state).orElse(null);
    }

    private DecodedAdvert vigilAdvert(int vrid) {
        for (int i = heard.size() - 1; i >= 0; i--) {
            SimFrame f = heard.get(i);
            if (f.kind() == SimFrame.Kind.IP_PACKET && f.source().equals(VIGIL) && f.protocol() == VrrpCodec.IP_PROTOCOL) {
                assertEquals("TTL of Vigil's adverts", 255, f.ttl());
                byte[] p = f.payload();
                DecodedAdvert d = new DecodedAdvert();
                DecodeStatus s = VrrpCodec.decode(p, 0, p.length, false, f.source().getAddress(), f.destination().getAddress(), f.ttl(), d);
                if (s != DecodeStatus.OK) {
                    fail("Vigil sent an advert that does not decode: " + s);
                }
                if (d.vrid() == vrid && d.priority() > 0) {
                    return d;
                }
            }
        }
        return null;
    }

    /** What the peer heard, for failure messages: frames per sender, version and VRID. */
    private String heardSummary() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (SimFrame f : heard) {
            String key = f.kind() + " " + f.source().getHostAddress();
            if (f.kind() == SimFrame.Kind.IP_PACKET && f.payload().length > 1) {
                key += " v" + (f.payload()[0] >> 4) + " vrid " + (f.payload()[1] & 0xff);
            }
            counts.merge(key, 1, Integer::sum);
        }
        return "(heard: " + counts + "; peer " + peer + " closed=" + peer.isClosed() + " received=" + peer.receivedCount()
                + " dropped=" + peer.droppedCount() + "; Vigil: " + vrrp.instances() + ")";
    }

    private boolean vipAnnounced(String vip) {
        return heard.stream().anyMatch(f -> f.kind() == SimFrame.Kind.VIP_ANNOUNCEMENT && f.source().getHostAddress().equals(vip));
    }

    private void sendAdvert(int version, int vrid, int priority, int intervalCs) throws IOException {
        Advertiser.send(peer, version, vrid, priority, intervalCs, PEER, GROUP4, null, 0);
    }

    private void sendV2(int vrid, int priority, String password, int intervalSeconds) throws IOException {
        byte[] auth = new byte[8];
        byte[] pw = password.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(pw, 0, auth, 0, Math.min(8, pw.length));
        Advertiser.send(peer, 2, vrid, priority, intervalSeconds * 100, PEER, GROUP4, auth, 1);
    }

    static void await(String what, BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        await(what, condition, timeoutMillis, () -> "");
    }

    static void await(String what, BooleanSupplier condition, long timeoutMillis, java.util.function.Supplier<String> context)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("not within " + timeoutMillis + " ms: " + what + " " + context.get());
            }
            Thread.sleep(10);
        }
    }

    static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    /** A peer router: sends adverts at a fixed rate on its own thread until stopped. */
    static final class Advertiser {
        private final Thread thread;
        private volatile boolean running = true;

        private Advertiser(Runnable body) {
            thread = new Thread(body, "it-advertiser");
            thread.setDaemon(true);
        }

        static Advertiser start(SimLanEndpoint lan, int version, int vrid, int priority, int intervalCs, InetAddress src,
                InetAddress dst) {
            Advertiser[] self = new Advertiser[1];
            self[0] = new Advertiser(() -> {
                while (self[0].running) {
                    try {
                        send(lan, version, vrid, priority, intervalCs, src, dst, null, 0);
                        Thread.sleep(intervalCs * 10L);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        if (!self[0].running) {
                            return;
                        }
                        throw new IllegalStateException(e);
                    }
                }
            });
            self[0].thread.start();
            return self[0];
        }

        static void send(SimLanEndpoint lan, int version, int vrid, int priority, int intervalCs, InetAddress src,
                InetAddress dst, byte[] authData, int authType) throws IOException {
            byte[] buf = new byte[64];
            byte[] vips = address(vrid == 51 ? "192.0.2.249" : "192.0.2.250").getAddress();
            int len = VrrpCodec.encode(version, vrid, priority, intervalCs, authType, authData, vips, false,
                    version == 2 ? ChecksumForm.V2 : ChecksumForm.V3_PSEUDO_HEADER, src.getAddress(), dst.getAddress(), buf, 0);
            byte[] payload = java.util.Arrays.copyOf(buf, len);
            lan.send(SimFrame.packet(VrrpCodec.IP_PROTOCOL, 255, src, dst, PEER_MAC, "it-peer", payload));
        }

        void stop() throws InterruptedException {
            running = false; // no interrupt: the advertiser must not be cut off in the middle of a send
            thread.join(2_000);
        }
    }
}
