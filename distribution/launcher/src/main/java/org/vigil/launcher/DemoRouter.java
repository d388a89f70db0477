package org.vigil.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One router of the demo: a child process running {@code vigil -n -l -D} on the simulated LAN.
 * Its state is read from its own keepalived-style log lines, as an operator would read them.
 */
final class DemoRouter {
    enum State { STARTING, BACKUP, MASTER, FAULT }

    private final String name;
    private final int priority;
    private final String address;
    private final boolean initialMaster;
    private volatile Process process;
    private volatile State state = State.STARTING;
    private volatile boolean holdsVip;
    private Path config;

    DemoRouter(String name, int priority, String address, boolean initialMaster) {
        this.name = name;
        this.priority = priority;
        this.address = address;
        this.initialMaster = initialMaster;
    }

    void writeConfig(Path dir, double advertInt) throws IOException {
        boolean v2 = advertInt >= 1 && advertInt == Math.rint(advertInt);
        String text = String.join("\n",
                "! Vigil demo router " + name + " (generated)",
                "global_defs {",
                "    router_id " + name,
                "}",
                "vrrp_instance VI_1 {",
                "    state " + (initialMaster ? "MASTER" : "BACKUP"),
                "    interface lan0",
                "    virtual_router_id 51",
                "    priority " + priority,
                "    version " + (v2 ? 2 : 3),
                "    advert_int " + (v2 ? Long.toString((long) advertInt) : String.format(Locale.ROOT, "%.2f", advertInt)),
                v2 ? "    authentication {\n        auth_type PASS\n        auth_pass demo51\n    }" : "",
                "    virtual_ipaddress {",
                "        192.0.2.249/24 dev lan0",
                "    }",
                "}", "");
        config = dir.resolve(name + ".conf");
        Files.writeString(config, text);
    }

    void start(Path dir, int lanPort, PrintStream echo) throws IOException {
        List<String> cmd = new ArrayList<>(DemoCommand.javaCommand());
        cmd.addAll(List.of("-n", "-l", "-D", "-f", config.toString(), "-p", dir.resolve(name + ".pid").toString(),
                "--sim-lan", Integer.toString(lanPort), "--sim-node", name,
                "--sim-interface", "lan0 " + address + "/24"));
        state = State.STARTING;
        holdsVip = false;
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        process = p;
        Thread reader = new Thread(() -> follow(p, echo), "vigil-demo-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void follow(Process p, PrintStream echo) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (p == process) {
                    observe(line);
                }
                if (echo != null) {
                    echo.println("  " + name + " | " + line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** keepalived's own lines tell the state: "(VI_1) Entering MASTER STATE", "(VI_1) setting VIPs.". */
    void observe(String line) {
        if (line.contains("Entering MASTER STATE")) {
            state = State.MASTER;
        } else if (line.contains("Entering BACKUP STATE")) {
            state = State.BACKUP;
        } else if (line.contains("Entering FAULT STATE")) {
            state = State.FAULT;
        }
        if (line.contains("setting VIPs.")) {
            holdsVip = true;
        } else if (line.contains("removing VIPs.")) {
            holdsVip = false;
        }
    }

    /** SIGTERM: a graceful stop, as systemd or keepalived's own stop does. */
    void terminate() {
        Process p = process;
        if (p != null && p.isAlive()) {
            // Through the handle: Process.destroy() would also close our end of its output,
            // and the router's last lines ("(VI_1) sent 0 priority") would be lost.
            p.toHandle().destroy();
        }
    }

    /** SIGKILL: a crash. */
    void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.toHandle().destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    long pid() {
        return process.pid();
    }

    State state() {
        return state;
    }

    boolean holdsVip() {
        return holdsVip;
    }

    String name() {
        return name;
    }

    int priority() {
        return priority;
    }

    String address() {
        return address;
    }
}
