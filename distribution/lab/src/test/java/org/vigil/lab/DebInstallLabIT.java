package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.vigil.testing.netns.HostRequirement;

/**
 * Issue 12: the .deb on a fresh Debian 12 without Java. A minbase bookworm (debootstrap, with systemd so that
 * it boots; cached as a tarball under /var/cache/vigil-lab) gets {@code apt-get install ./vigil_*.deb}, is
 * booted with {@code systemd-nspawn --boot} inside the lab's r1 namespace (its lan0 on the lab bridge, so no
 * host interface is involved), and {@code systemctl start vigil} with the shipped /etc/vigil/keepalived.conf
 * (VRID 51, priority 150, VIP 192.0.2.249 on lan0) gives a master: adverts and a gratuitous ARP on the
 * bridge, the VIP on lan0, the daemon running as user vigil with CAP_NET_RAW and CAP_NET_ADMIN only.
 * {@code systemctl stop} then releases the VIP; the next start reloads the bundles from the cache kept in the
 * unit's StateDirectory (/var/lib/vigil).
 */
class DebInstallLabIT extends LabTest {
    static final Path CACHE = Path.of("/var/cache/vigil-lab/bookworm-minbase-systemd-1.tar.gz");
    static final String MIRROR = "http://deb.debian.org/debian";

    @Override
    protected int routers() {
        return 1;
    }

    @Test
    void aptInstallThenSystemctlStartGivesAMaster() throws Exception {
        for (String tool : List.of("/usr/sbin/debootstrap", "/usr/bin/systemd-nspawn", "/usr/bin/nsenter")) {
            HostRequirement.require(Files.isExecutable(Path.of(tool)), tool
                    + " is missing; install the lab packages: bash distribution/lab/install-packages.sh");
        }
        Path deb = deb();
        Path work = dir("deb");
        Path rootfs = work.resolve("rootfs");
        unpackRootfs(rootfs, work);

        // no Java in the fresh system: the package brings its own runtime
        assertThat(chroot(rootfs, "sh", "-c", "command -v java || ls /usr/lib/jvm").exit()).as("Java in the rootfs")
                .isNotZero();
        Files.copy(deb, rootfs.resolve("tmp").resolve(deb.getFileName()));
        Sh.Result install = run(List.of("chroot", rootfs.toString(), "env", "DEBIAN_FRONTEND=noninteractive",
                "apt-get", "install", "-y", "--no-install-recommends", "/tmp/" + deb.getFileName()), 300, work
                        .resolve("apt.log"));
        assertThat(install.exit()).as("apt-get install ./" + deb.getFileName() + ":\n" + install.out()).isZero();
        assertThat(chroot(rootfs, "dpkg-query", "-W", "-f=${Status} ${Conffiles}", "vigil").out())
                .startsWith("install ok installed").contains("/etc/vigil/keepalived.conf");
        assertThat(chroot(rootfs, "getent", "passwd", "vigil").out()).contains("/usr/sbin/nologin");
        assertThat(Files.readSymbolicLink(rootfs.resolve("usr/bin/vigil"))).isEqualTo(Path.of("/opt/vigil/bin/vigil"));
        assertThat(rootfs.resolve("usr/share/doc/vigil/NOTICE")).isRegularFile();

        // a notify_master that records its own capabilities: under the unit's system call filter too, the
        // script runner starts it without the daemon's ambient CAP_NET_RAW and CAP_NET_ADMIN
        Path script = rootfs.resolve("etc/vigil/status.sh");
        Files.writeString(script, "#!/bin/sh\ncat /proc/$$/status > \"$1.part\" && mv \"$1.part\" \"$1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = rootfs.resolve("etc/vigil/keepalived.conf");
        Files.writeString(conf, Files.readString(conf).replace("vrrp_instance VI_1 {\n",
                "vrrp_instance VI_1 {\n    notify_master \"/etc/vigil/status.sh /run/vigil/notify-status\"\n"));

        Capture cap = capture();
        Path console = work.resolve("nspawn.log");
        Process nspawn = new ProcessBuilder("systemd-nspawn", "--boot", "--directory=" + rootfs, "--machine=vigil-deb-"
                + ProcessHandle.current().pid(), "--register=no", "--keep-unit", "--network-namespace-path=/run/netns/"
                        + lab.ns("r1"), "--capability=CAP_NET_ADMIN")
                                .redirectErrorStream(true).redirectOutput(console.toFile())
                                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        track((AutoCloseable) () -> stopContainer(nspawn));
        long init = awaitInit(nspawn, console);
        // basic.target: what a service's default dependencies wait for (dbus and logind may take long in a container)
        await("systemd in the container up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> in(init, "systemctl", "is-active", "basic.target").out().strip().equals("active"));

        // (in the container, not the chroot: the runtime's launcher finds libjli.so through $ORIGIN, which needs /proc)
        Sh.Result check = in(init, "vigil", "-t", "-f", "/etc/vigil/keepalived.conf");
        assertThat(check.exit()).as("vigil -t of the shipped configuration, with the bundled runtime: " + check.out()
                + check.err()).isZero();
        int mark = cap.fields("vrrp", "frame.number").size();
        Sh.Result start = in(init, "systemctl", "start", "vigil");
        assertThat(start.exit()).as("systemctl start vigil: " + start.err()).isZero();
        try {
            await("the VIP on lan0").atMost(START).pollInterval(Duration.ofMillis(200))
                    .until(() -> lab.addresses("r1").contains(Lab.VIP4));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no VIP; journal:\n" + in(init, "journalctl", "-u", "vigil", "--no-pager").out(), e);
        }
        awaitAdverts(cap, Vrrp.v2Pass(), "r1", 3);
        String journal = in(init, "journalctl", "-u", "vigil", "--no-pager", "-o", "cat").out();
        assertThat(journal).contains("(VI_1) Entering MASTER STATE").doesNotContain("Unable to resolve")
                .doesNotContain("Exception");
        assertThat(cap.fields("vrrp && frame.number > " + mark + " && eth.src == " + lab.mac("r1") + " && vrrp.prio == 150",
                "frame.number")).isNotEmpty();
        assertThat(cap.fields(gratuitousArp("r1"), "frame.number")).as("gratuitous ARP for the VIP").isNotEmpty();

        // the unit's least privilege, as the kernel sees the running daemon
        String pid = in(init, "systemctl", "show", "-p", "MainPID", "--value", "vigil").out().strip();
        String status = in(init, "cat", "/proc/" + pid + "/status").out();
        assertNetCapsOnly(status, in(init, "id", "-u", "vigil").out().strip());
        assertThat(Daemon.statusField(status, "NoNewPrivs:")).isEqualTo("1");
        try {
            await("notify_master's status").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                    .until(() -> in(init, "test", "-s", "/run/vigil/notify-status").exit() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("notify_master did not run; journal:\n"
                    + in(init, "journalctl", "-u", "vigil", "--no-pager", "-o", "cat").out(), e);
        }
        String scriptStatus = in(init, "cat", "/run/vigil/notify-status").out();
        assertThat(Daemon.statusField(scriptStatus, "Uid:").split("\\s+")[0]).as("notify_master's uid")
                .isEqualTo(in(init, "id", "-u", "vigil").out().strip());
        for (String set : List.of("CapPrm:", "CapEff:", "CapAmb:")) {
            assertThat(Long.parseLong(Daemon.statusField(scriptStatus, set), 16)).as("notify_master's " + set).isZero();
        }

        // a graceful stop: the VIP goes (the priority-0 advert is the stop's own business, tested elsewhere)
        assertThat(in(init, "systemctl", "stop", "vigil").exit()).isZero();
        await("the VIP released").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                .until(() -> !lab.addresses("r1").contains(Lab.VIP4));
        assertThat(journal).contains("Bundles installed from bundle/ into the cache /var/lib/vigil/bundle-cache");

        // the next start reloads the bundles from the cache the unit's StateDirectory keeps
        assertThat(in(init, "systemctl", "start", "vigil").exit()).isZero();
        await("the VIP on lan0 again").atMost(START).pollInterval(Duration.ofMillis(200))
                .until(() -> lab.addresses("r1").contains(Lab.VIP4));
        String again = in(init, "journalctl", "-u", "vigil", "--no-pager", "-o", "cat").out();
        assertThat(again.substring(journal.length() > again.length() ? 0 : journal.length()))
                .contains("Bundles from the kept cache /var/lib/vigil/bundle-cache").doesNotContain("Exception");
        assertThat(in(init, "stat", "-c", "%U %a", "/var/lib/vigil").out().strip()).isEqualTo("vigil 750");
        assertThat(in(init, "systemctl", "stop", "vigil").exit()).isZero();
        await("the VIP released again").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                .until(() -> !lab.addresses("r1").contains(Lab.VIP4));
    }


    /** The built package next to the distribution: distribution/app/target/vigil_VERSION_amd64.deb. */
    private static Path deb() throws IOException {
        Path target = LabEnv.dist().getParent();
        try (Stream<Path> s = Files.list(target)) {
            Optional<Path> deb = s.filter(p -> p.getFileName().toString().matches("vigil_.*_amd64\\.deb")).findFirst();
            assertThat(deb).as("vigil_*_amd64.deb in " + target + " (mvn package -pl distribution/app)").isPresent();
            return deb.get();
        }
    }

    /** A fresh copy of the cached rootfs; the cache is made by debootstrap the first time (about a minute). */
    private static void unpackRootfs(Path rootfs, Path work) throws IOException {
        if (!Files.exists(CACHE)) {
            Path build = Files.createTempDirectory(work, "debootstrap");
            Sh.ok("chmod", "0755", build.toString());
            Sh.Result r = run(List.of("debootstrap", "--variant=minbase", "--include=systemd,systemd-sysv",
                    "bookworm", build.toString(), MIRROR), 900, work.resolve("debootstrap.log"));
            assertThat(r.exit()).as("debootstrap bookworm (" + MIRROR + "):\n" + r.out()).isZero();
            Files.createDirectories(CACHE.getParent());
            Path tmp = CACHE.resolveSibling(CACHE.getFileName() + ".tmp");
            assertThat(run(List.of("tar", "-C", build.toString(), "-czf", tmp.toString(), "."), 300, work.resolve(
                    "tar.log")).exit()).isZero();
            Files.move(tmp, CACHE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Sh.quiet("rm", "-rf", build.toString());
        }
        Sh.quiet("rm", "-rf", rootfs.toString()); // an earlier run's
        Files.createDirectories(rootfs);
        assertThat(run(List.of("tar", "-C", rootfs.toString(), "-xzf", CACHE.toString()), 300, work.resolve("untar.log"))
                .exit()).as("unpacking " + CACHE).isZero();
        // "/" as on any system (the tarball's "." came from a temporary folder, 0700): the vigil user lives there
        Sh.ok("chmod", "0755", rootfs.toString());
    }

    private static Sh.Result chroot(Path rootfs, String... cmd) {
        List<String> c = new ArrayList<>(List.of("chroot", rootfs.toString()));
        c.addAll(List.of(cmd));
        return Sh.run(c);
    }

    /** A command inside the booted container: all of its namespaces, through its init's PID. */
    private static Sh.Result in(long init, String... cmd) {
        List<String> c = new ArrayList<>(List.of("nsenter", "-t", Long.toString(init), "-m", "-u", "-i", "-n", "-p",
                "--"));
        c.addAll(List.of(cmd));
        return Sh.run(c);
    }

    /** The container's PID 1 (systemd), seen from here: a descendant of systemd-nspawn. */
    private static long awaitInit(Process nspawn, Path console) {
        long[] found = { -1 };
        try {
            await("systemd as the container's init").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        assertThat(nspawn.isAlive()).as("systemd-nspawn running; its output:\n" + read(console)).isTrue();
                        nspawn.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/systemd")).orElse(false))
                                .findFirst().ifPresent(p -> found[0] = p.pid());
                        return found[0] > 0;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("systemd-nspawn --boot did not start systemd; its output:\n" + read(console), e);
        }
        return found[0];
    }

    /** SIGTERM makes nspawn power the container off (SIGRTMIN+3 to its systemd); SIGKILL if that hangs. */
    private static void stopContainer(Process nspawn) {
        if (!nspawn.isAlive()) {
            return;
        }
        List<Long> tree = new ArrayList<>();
        tree.add(nspawn.pid());
        nspawn.descendants().forEach(p -> tree.add(p.pid()));
        Sh.quiet("kill", "-TERM", Long.toString(nspawn.pid()));
        try {
            if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
                List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
                tree.forEach(p -> kill.add(Long.toString(p)));
                Sh.quiet(kill.toArray(String[]::new));
                nspawn.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** A longer command (debootstrap, apt, tar) with its output in a file. */
    private static Sh.Result run(List<String> cmd, int seconds, Path log) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running after " + seconds + " s: " + cmd + "\n" + read(log));
            }
            return new Sh.Result(p.exitValue(), read(log), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
