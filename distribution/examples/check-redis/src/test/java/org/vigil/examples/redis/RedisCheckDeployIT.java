package org.vigil.examples.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.testing.netns.HostRequirement;
import org.vigil.testing.netns.NetnsLab;

/**
 * The third-party path end to end: a running Vigil (the built appliance, in a network namespace
 * of its own) with a virtual server whose real server is a real redis-server and whose check is
 * REDIS_CHECK, a type no bundle of the appliance provides. The check waits; copying
 * check-redis.jar into deploy/ starts it; the server's death and return move it out of and back
 * into the pool with keepalived's lines; removing the jar leaves it "checker missing", not down.
 */
class RedisCheckDeployIT {
    private static final String RS = "192.0.2.11";
    private static final int PORT = 6379;
    private static final String RS_TEXT = "[" + RS + "]:tcp:" + PORT;
    private static final String VS_TEXT = "[192.0.2.249]:tcp:" + PORT;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private NetnsLab lab;
    private Path home;
    private Path log;
    private Path pidFile;
    private Process vigil;
    private Process redis;

    @BeforeEach
    void lab() throws IOException {
        NetnsLab.requireRootAndIp("RedisCheckDeployIT");
        HostRequirement.require(Files.isExecutable(Path.of("/usr/bin/redis-server")),
                "RedisCheckDeployIT needs Debian's redis-server (distribution/lab/install-packages.sh installs it)");
        lab = new NetnsLab("redis");
        lab.createSwitch();
        lab.addHost("r1", "02:00:00:00:00:11", RS + "/24");
        NetnsLab.ip("-n", lab.ns("r1"), "link", "set", "lo", "up");
        // a private copy of the appliance: the test writes into its deploy/
        home = dir.resolve("vigil");
        copyTree(Path.of(System.getProperty("vigil.dist")), home);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : new Process[] { vigil, redis }) {
            if (p != null && p.isAlive()) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aCheckTypeDroppedIntoDeployChecksARealRedisAndLeavingMakesItCheckerMissing() throws Exception {
        startRedis();
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
                global_defs {
                    router_id redis-example
                }
                virtual_server 192.0.2.249 6379 {
                    delay_loop 1
                    protocol TCP
                    alpha
                    real_server 192.0.2.11 6379 {
                        weight 1
                        REDIS_CHECK {
                            connect_timeout 1
                            retry 1
                            delay_before_retry 1
                        }
                    }
                }
                """);
        log = dir.resolve("vigil.log");
        pidFile = dir.resolve("vigil.pid");
        vigil = new ProcessBuilder("ip", "netns", "exec", lab.ns("r1"), home.resolve("bin/vigil").toString(), "-n", "-l",
                "-D", "-f", conf.toString(), "-p", pidFile.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();

        // no bundle knows REDIS_CHECK yet: the check waits, and the server is not declared down
        await().atMost(DEADLINE).until(() -> ctl("check:list").contains("1 waiting"));
        assertThat(ctl("check:list")).doesNotContain("REDIS_CHECK");

        Path jar = home.resolve("deploy/check-redis.jar");
        Files.copy(Path.of(System.getProperty("check.redis.jar")), jar);
        awaitLog("REDIS_CHECK PING to " + RS_TEXT + " answered PONG.");
        awaitLog("Adding service " + RS_TEXT + " to VS " + VS_TEXT);
        assertThat(ctl("check:show 192.0.2.249")).contains(RS_TEXT).contains("REDIS_CHECK").contains("up");

        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
        awaitLog("Removing service " + RS_TEXT + " from VS " + VS_TEXT);
        assertThat(logText()).contains("REDIS_CHECK on service " + RS_TEXT + " failed after 1 retries.");

        startRedis();
        await().atMost(DEADLINE).until(() -> count(logText(), "Adding service " + RS_TEXT) == 2);

        int removals = count(logText(), "Removing service " + RS_TEXT);
        Files.delete(jar);
        await().atMost(DEADLINE).until(() -> ctl("check:list").contains("1 checker missing"));
        assertThat(count(logText(), "Removing service " + RS_TEXT)).as("the pool does not change").isEqualTo(removals);
        assertThat(ctl("check:show 192.0.2.249")).contains("missing");
    }

    private void startRedis() throws IOException {
        Path redisLog = dir.resolve("redis.log");
        int before = Files.exists(redisLog) ? count(Files.readString(redisLog), "Ready to accept connections") : 0;
        redis = new ProcessBuilder("ip", "netns", "exec", lab.ns("r1"), "/usr/bin/redis-server", "--bind", RS, "--port",
                Integer.toString(PORT), "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(redisLog.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        await().atMost(DEADLINE).until(() -> redis.isAlive() && Files.exists(redisLog)
                && count(Files.readString(redisLog), "Ready to accept connections") > before);
    }

    private String ctl(String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns("r1"), home.resolve("bin/vigil").toString(),
                "ctl", "-p", pidFile.toString()));
        cmd.addAll(List.of(command.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    private void awaitLog(String line) {
        await().atMost(DEADLINE).until(() -> logText().contains(line));
    }

    private String logText() throws IOException {
        return Files.readString(log);
    }

    private static int count(String text, String what) {
        return (int) text.lines().filter(l -> l.contains(what)).count();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
