package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.Test;

/**
 * Vigil's MBeans in the running appliance, as an operator reaches them: the JDK Attach API on the
 * daemon's pid starts its local management agent (what jconsole and {@code jcmd PID
 * ManagementAgent.start_local} do), and a JMX client reads the instances, hears notifications and
 * calls the operations. keepalived on r2 is the peer that shows the effect of a priority change on
 * the wire; a python3 web server on r2 is the real server whose loss is a notification.
 */
class JmxLabIT extends LabTest {
    static final String ADVERT = "0.1";
    static final String SECRET = "jmx51pw";

    static String instance(String name, int vrid, int priority, int version, String extra) {
        return "vrrp_instance " + name + " {\n    state BACKUP\n    interface lan0\n    virtual_router_id " + vrid
                + "\n    priority " + priority + "\n    version " + version + "\n    advert_int " + ADVERT + "\n" + extra
                + "    virtual_ipaddress {\n        203.0.113." + vrid + "/32 dev lan0\n    }\n}\n";
    }

    private List<String> priorities(Capture cap) {
        return cap.fields("vrrp && ip.src == 192.0.2.11 && vrrp.virt_rtr_id == 51", "vrrp.prio").stream()
                .map(f -> f[0]).toList();
    }

    private static CompositeData row(MBeanServerConnection c, ObjectName on, String attribute, Object... key)
            throws Exception {
        return ((TabularData) c.getAttribute(on, attribute)).get(key);
    }

    @Test
    void anAttachedClientReadsStateHearsTransitionsAndSetsThePriority() throws Exception {
        Bench.Helper web = webServerOnR2();
        Capture cap = capture();
        String vi1Only = "global_defs {\n    router_id vigil-r1\n}\n"
                + instance("VI_1", 51, 150, 3, "    track_interface {\n        lan0 weight 10\n    }\n")
                + virtualServerOnR2("203.0.113.51");
        String config = vi1Only + instance("VI_2", 52, 120, 2, "    authentication {\n        auth_type PASS\n"
                + "        auth_pass " + SECRET + "\n    }\n") + "vrrp_sync_group G2 {\n    group {\n        VI_2\n    }\n}\n";
        Daemon vigil = vigil("r1", config);
        vigil.awaitLog("(VI_1) Entering BACKUP STATE (init)", START);
        Daemon ka = keepalived("r2", "global_defs {\n    router_id ka-r2\n}\n" + instance("VI_1", 51, 100, 3, ""));
        await().atMost(START).until(() -> States.last(vigil).equals("MASTER"));

        try (AttachedJmx jmx = new AttachedJmx(lab, vigil)) {
            long pid = jmx.pid;
            MBeanServerConnection c = jmx.connection();
            ObjectName vrrp = new ObjectName("org.vigil:type=Vrrp");
            ObjectName checker = new ObjectName("org.vigil:type=Checker");
            CompositeData vi1 = row(c, vrrp, "Instances", "VI_1");
            assertThat(vi1.get("state")).isEqualTo("MASTER");
            assertThat(vi1.get("basePriority")).isEqualTo(150);
            assertThat(vi1.get("vrid")).isEqualTo(51);
            assertThat(vi1.get("interface")).isEqualTo("lan0");
            assertThat((String[]) vi1.get("heldAddresses")).containsExactly("203.0.113.51/32");
            // VI_2 is VRRPv2, whose advert_int is whole seconds: it becomes master about 3.5 s after start
            await().atMost(SHORT).until(() -> "MASTER".equals(row(c, vrrp, "SyncGroups", "G2").get("state")));
            assertThat(c.getAttribute(vrrp, "ActiveDriver")).isEqualTo("linux");
            await().atMost(SHORT).until(() -> "UP".equals(row(c, checker, "RealServers", "[203.0.113.51]:tcp:8080",
                    "[192.0.2.12]:tcp:8080").get("state")));

            // no attribute of any Vigil MBean carries the auth_pass
            for (ObjectName on : c.queryNames(new ObjectName("org.vigil:*"), null)) {
                for (MBeanAttributeInfo a : c.getMBeanInfo(on).getAttributes()) {
                    assertThat(String.valueOf(c.getAttribute(on, a.getName()))).as(on + " " + a.getName())
                            .doesNotContain(SECRET);
                }
            }

            // each instance is an MBean of its own too, as jconsole lists them
            ObjectName vi1Bean = new ObjectName("org.vigil:type=VrrpInstance,name=VI_1");
            await().atMost(SHORT).until(() -> c.isRegistered(vi1Bean));
            assertThat(c.getAttribute(vi1Bean, "State")).isEqualTo("MASTER");
            assertThat(c.getAttribute(vi1Bean, "Priority")).isEqualTo(160);
            assertThat(c.isRegistered(new ObjectName("org.vigil:type=VrrpInstance,name=VI_2"))).isTrue();

            List<Notification> heard = new CopyOnWriteArrayList<>();
            List<Notification> heardByVi1 = new CopyOnWriteArrayList<>();
            c.addNotificationListener(vrrp, (n, h) -> heard.add(n), null, null);
            c.addNotificationListener(vi1Bean, (n, h) -> heardByVi1.add(n), null, null);
            c.addNotificationListener(checker, (n, h) -> heard.add(n), null, null);
            String[] nameAndInt = { String.class.getName(), Integer.class.getName() };

            // 1. priority 50 (60 with the tracked lan0's +10) < keepalived's 100: the wire says 60,
            //    keepalived preempts, a notification says so
            int kaMark = ka.mark();
            Object said = c.invoke(vrrp, "setPriority", new Object[] { "VI_1", 50 }, nameAndInt);
            assertThat(said).isEqualTo("(VI_1) priority 150 -> 50 (until the next reload)");
            await().atMost(SHORT).until(() -> priorities(cap).contains("60"));
            ka.awaitLog("(VI_1) Entering MASTER STATE", kaMark, SHORT);
            await().atMost(SHORT).until(() -> messages(heard).contains("(VI_1) MASTER -> BACKUP"));
            Notification n = heard.stream().filter(x -> x.getMessage().equals("(VI_1) MASTER -> BACKUP")).findFirst()
                    .orElseThrow();
            assertThat(n.getType()).isEqualTo("vigil.vrrp.transition");
            assertThat(((CompositeData) n.getUserData()).get("to")).isEqualTo("BACKUP");
            assertThat(row(c, vrrp, "Instances", "VI_1").get("basePriority")).isEqualTo(50);
            await().atMost(SHORT).until(() -> messages(heardByVi1).contains("(VI_1) MASTER -> BACKUP"));

            // 2. priority 200 (210): Vigil preempts back, with adverts at 210
            c.invoke(vrrp, "setPriority", new Object[] { "VI_1", 200 }, nameAndInt);
            await().atMost(SHORT).until(() -> messages(heard).contains("(VI_1) BACKUP -> MASTER"));
            await().atMost(SHORT).until(() -> priorities(cap).contains("210"));
            Sh.Result show = Sh.run(List.of("ip", "netns", "exec", lab.ns("r1"), LabEnv.dist().resolve("bin/vigil")
                    .toString(), "ctl", "-p", vigil.dir.resolve("vigil.pid").toString(), "vrrp:show", "VI_1"));
            assertThat(show.out()).as(show.out() + show.err()).contains("210 effective, 200 configured")
                    .containsPattern("interface lan0 +up +weight 10 +\\+10");
            TabularData tracking = (TabularData) c.invoke(vrrp, "tracking", new Object[] { "VI_1" },
                    new String[] { String.class.getName() });
            assertThat(tracking.get(new Object[] { "INTERFACE", "lan0" }).get("contribution")).isEqualTo(10);

            // keepalived's STATS_CLEAR, from the console and by its signal (--signum)
            Sh.Result cleared = Sh.run(List.of("ip", "netns", "exec", lab.ns("r1"), LabEnv.dist()
                    .resolve("bin/vigil").toString(), "ctl", "-p", vigil.dir.resolve("vigil.pid").toString(),
                    "vigil:stats", "clear"));
            assertThat(cleared.out()).as(cleared.err()).contains("VRRP Instance: VI_1", "(counters cleared)");
            assertThat((Long) row(c, vrrp, "Instances", "VI_1").get("becameMaster")).isZero();
            String signum = Sh.ok(LabEnv.dist().resolve("bin/vigil").toString(), "--signum=STATS_CLEAR").strip();
            await().atMost(SHORT).until(() -> (Long) row(c, vrrp, "Instances", "VI_1").get("advertsSent") > 20);
            Sh.ok("kill", "-" + signum, Long.toString(pid));
            await().atMost(SHORT).until(() -> (Long) row(c, vrrp, "Instances", "VI_1").get("advertsSent") < 20);
            // and --signum=JSON: keepalived's JSON dump in /tmp
            Path json = Path.of("/tmp/keepalived.json");
            long asked = System.currentTimeMillis() - 1_000;
            Sh.ok("kill", "-" + Sh.ok(LabEnv.dist().resolve("bin/vigil").toString(), "--signum=JSON").strip(),
                    Long.toString(pid));
            await().atMost(SHORT).until(() -> Files.exists(json) && Files.getLastModifiedTime(json).toMillis() >= asked
                    && Files.readString(json).contains("\"iname\":\"VI_1\""));

            // 3. the operator's fault and its release
            String[] name = { String.class.getName() };
            c.invoke(vi1Bean, "forceFault", new Object[0], new String[0]);
            await().atMost(SHORT).until(() -> messages(heard).contains("(VI_1) MASTER -> FAULT"));
            assertThat(row(c, vrrp, "Instances", "VI_1").get("state")).isEqualTo("FAULT");
            c.invoke(vrrp, "clearFault", new Object[] { "VI_1" }, name);
            await().atMost(SHORT).until(() -> "MASTER".equals(row(c, vrrp, "Instances", "VI_1").get("state")));

            // 4. a gratuitous ARP burst on request
            String arps = "arp && eth.src == " + lab.mac("r1") + " && arp.src.proto_ipv4 == 203.0.113.51";
            int before = cap.fields(arps, "frame.number").size();
            assertThat(c.invoke(vrrp, "sendGratuitousArp", new Object[] { "VI_1" }, name)).isEqualTo(true);
            await().atMost(SHORT).until(() -> cap.fields(arps, "frame.number").size() > before);

            // 5. a reload through JMX without VI_2 and G2: VI_1's priority from the file is back, without a
            //    transition; VI_2 and its MBean are gone
            int mark = vigil.mark();
            vigil.rewriteConfig(vi1Only);
            ObjectName vi2Bean = new ObjectName("org.vigil:type=VrrpInstance,name=VI_2");
            assertThat((String) c.invoke(vrrp, "reload", new Object[0], new String[0])).endsWith("keepalived.conf: applied");
            await().atMost(SHORT).until(() -> Integer.valueOf(150).equals(row(c, vrrp, "Instances", "VI_1")
                    .get("basePriority")));
            assertThat(vigil.linesWith("(VI_1) Entering", mark)).isEmpty();
            await().atMost(SHORT).until(() -> !c.isRegistered(vi2Bean));
            assertThat(((TabularData) c.getAttribute(vrrp, "Instances")).size()).isEqualTo(1);
            assertThat(((TabularData) c.getAttribute(vrrp, "SyncGroups")).isEmpty()).isTrue();

            // 6. the real server dies: the checker's notification
            web.close();
            await().atMost(SHORT).until(() -> heard.stream().anyMatch(x -> x.getType().equals("vigil.realserver.change")
                    && ((CompositeData) x.getUserData()).get("kind").equals("REAL_SERVER_DOWN")));
            assertThat(row(c, checker, "RealServers", "[203.0.113.51]:tcp:8080", "[192.0.2.12]:tcp:8080")
                    .get("state")).isEqualTo("DOWN");
        }
        assertThat(vigil.linesWith("priority set from 150 to 50 by the operator", 0)).hasSize(1);
    }

    @Test
    void aConfiguredRemoteConnectorListensOnLoopbackAndWantsThePassword() throws Exception {
        Path passwords = dir("jmx").resolve("jmx.password");
        Files.writeString(passwords, "operator lab-jmx-pw\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        Path dist = distWith("deploy/org.vigil.jmx.cfg", "port = 9999\npassword.file = " + passwords + "\n");
        Daemon vigil = track(new Daemon.Vigil(lab, "r1", dir("vigil-r1"), instance("VI_1", 51, 150, 3, ""), dist));
        vigil.awaitLog("JMX connector listening on service:jmx:rmi://127.0.0.1:9999/jndi/rmi://127.0.0.1:9999/jmxrmi",
                START);
        // ss: State Recv-Q Send-Q Local Peer; an IPv6 socket bound to 127.0.0.1 shows it IPv4-mapped
        List<String> listening = Sh.ok("ip", "netns", "exec", lab.ns("r1"), "ss", "-Hltn", "sport = :9999").lines()
                .map(l -> l.trim().split("\\s+")[3]).toList();
        assertThat(listening).as("loopback only").isNotEmpty()
                .allMatch(local -> local.matches("(\\[::ffff:)?127\\.0\\.0\\.1]?:9999"));
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:9999/jmxrmi");
        try (AutoCloseable ns = NamespaceRmi.enter(lab.ns("r1"))) {
            assertThatThrownBy(() -> JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS,
                    new String[] { "operator", "guess" })).close()).isInstanceOf(SecurityException.class);
            try (JMXConnector jmx = JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS,
                    new String[] { "operator", "lab-jmx-pw" }))) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                // the connector may be up before the core (start levels): the MBean comes with it
                await().atMost(START).ignoreExceptions().until(() -> "MASTER".equals(row(c, new ObjectName("org.vigil:type=Vrrp"),
                        "Instances", "VI_1").get("state")));
            }
        }
    }

    private static List<String> messages(List<Notification> heard) {
        List<String> out = new ArrayList<>();
        heard.forEach(n -> out.add(n.getMessage()));
        return out;
    }
}
