package org.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.vigil.itests.VigilOnFelixIT.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.CheckListener;
import org.vigil.api.check.CheckerPids;

/**
 * Hot deploy on Felix (issue 9 item 4): the checker runs with a TCP_CHECK configured and no
 * check-tcp bundle; installing the bundle starts the waiting check against a real listener on
 * 127.0.0.1, uninstalling it leaves the check "checker missing" with the server still up and no
 * pool event, and installing it again resumes the check.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CheckerHotDeployIT {
    private static final String VS = "192.0.2.249:tcp:80";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    CommandProcessor commands;

    private ServerSocket server;
    private final List<CheckEvent> events = new CopyOnWriteArrayList<>();
    private ServiceRegistration<CheckListener> listener;

    @Configuration
    public Option[] config() {
        return options(
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"),
                VigilBundles.infrastructure(),
                VigilBundles.ours("api", "script", "checker"),
                junitBundles());
    }

    @Before
    public void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    // TCP_CHECK only opens the connection
                } catch (IOException e) {
                    return;
                }
            }
        }, "it-listener");
        t.setDaemon(true);
        t.start();
        listener = context.registerService(CheckListener.class, events::add, null);
    }

    @After
    public void close() throws IOException {
        listener.unregister();
        server.close();
    }

    @Test
    public void installingCheckTcpStartsTheWaitingCheckAndRemovingItLeavesItCheckerMissing() throws Exception {
        int port = server.getLocalPort();
        String rs = "[127.0.0.1]:tcp:" + port;
        Hashtable<String, Object> vs = new Hashtable<>();
        vs.put(CheckerPids.VIRTUAL_SERVER_KEY, VS);
        vs.put(CheckerPids.ADDRESS, "192.0.2.249");
        vs.put(CheckerPids.PORT, 80);
        vs.put("protocol", "tcp");
        vs.put("delay.loop", 0.5);
        vs.put("warmup", 0.0);
        vs.put("connect.timeout", 1.0);
        // its one real server rides on the virtual server's configuration
        String real = CheckerPids.realServerPrefix(0);
        vs.put(CheckerPids.REAL_SERVER_COUNT, 1);
        vs.put(real + CheckerPids.ADDRESS, "127.0.0.1");
        vs.put(real + CheckerPids.PORT, port);
        vs.put(real + "weight", 1);
        vs.put(real + CheckerPids.checkType(0), "TCP_CHECK");
        vs.put(real + CheckerPids.checkPrefix(0) + "connect.timeout", new String[] { "1" });
        configAdmin.createFactoryConfiguration(CheckerPids.VIRTUAL_SERVER, "?").update(vs);

        await("the check waits for TCP_CHECK", () -> show().contains("waiting"), 10_000, this::show);

        Bundle tcp = context.installBundle(Path.of(System.getProperty("vigil.bundle.check.tcp")).toUri().toString());
        tcp.start();
        await("the check runs", () -> show().contains("TCP connection to " + rs + " success."), 10_000, this::show);

        tcp.uninstall();
        await("the check is checker missing", () -> show().contains("missing"), 10_000, this::show);
        String missing = show();
        assertTrue(missing, missing.matches("(?s).*\\Q" + rs + "\\E +up .*"));
        Thread.sleep(1500); // three delay_loops without a checker: nothing may change meanwhile
        assertEquals("no pool event while checker missing: " + events, 0, events.size());

        Bundle again = context.installBundle(Path.of(System.getProperty("vigil.bundle.check.tcp")).toUri().toString());
        again.start();
        await("the check resumes", () -> show().contains("active"), 10_000, this::show);
        assertTrue(run("check:list"), run("check:list").contains("TCP_CHECK"));
    }

    private String show() {
        try {
            return run("check:show 192.0.2.249");
        } catch (Exception e) {
            return e.toString();
        }
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
