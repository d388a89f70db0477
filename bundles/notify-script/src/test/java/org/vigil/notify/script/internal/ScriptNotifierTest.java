package org.vigil.notify.script.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionEvent.Kind;
import org.vigil.script.ScriptSecurity;
import org.vigil.testing.netns.HostRequirement;

/** Real scripts that record their arguments, a real FIFO. */
class ScriptNotifierTest {

    @TempDir
    Path dir;
    private ScriptNotifier notifier;

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.deactivate();
        }
    }

    /** A script appending "name: arg1 arg2 ..." to record.txt. */
    private String recorder(String name) throws IOException {
        Path script = dir.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\necho \"" + name + ": $*\" >> " + dir.resolve("record.txt") + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script.toString();
    }

    private static boolean root() {
        return ScriptSecurity.Host.system().currentUid() == 0;
    }

    private List<String> records() throws IOException {
        Path f = dir.resolve("record.txt");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private static TransitionEvent event(Kind kind, String name, InstanceState from, InstanceState to, int prio,
            boolean stopping) {
        return new TransitionEvent(kind, name, from, to, prio, stopping, Instant.now());
    }

    private static Map<String, Object> config(String name, Object... kv) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", name);
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void instanceScriptsGetTheirArgumentsAndGenericNotifyGetsKeepalivedsFour() throws IOException {
        notifier = Typed.notifier(Map.of(), false);
        notifier.addInstance(Typed.instance(config("VI_1",
                "notify.master", recorder("master") + " 'to master' x",
                "notify.backup", recorder("backup"),
                "notify.fault", recorder("fault"),
                "notify", recorder("generic"))));

        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.INIT, InstanceState.BACKUP, 100, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 2);
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 4);
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.MASTER, InstanceState.FAULT, 90, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 6);

        assertThat(records()).containsExactlyInAnyOrder(
                "backup: ", "generic: INSTANCE VI_1 BACKUP 100",
                "master: to master x", "generic: INSTANCE VI_1 MASTER 100",
                "fault: ", "generic: INSTANCE VI_1 FAULT 90");
    }

    /**
     * The command line core's vrrp_script test splits too (core TrackScriptSplittingTest, same
     * text, same words): one splitting for both, keepalived's (org.vigil.script CommandLineTest).
     */
    @Test
    void splitsTheCommandLineAsCoreTrackingDoes() throws IOException {
        Path out = dir.resolve("args.txt");
        Path script = dir.resolve("args.sh");
        Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done > " + out + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        notifier = Typed.notifier(Map.of(), false);
        notifier.addInstance(Typed.instance(config("VI_1",
                "notify.master", script + " one 'two words' \"say \\\"hi\\\"\" a\\ b '' x\\ty 'it'\\''s' a|b $HOME")));

        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(out) && Files.readAllLines(out).size() == 9);
        assertThat(Files.readAllLines(out)).containsExactly("[one]", "[two words]", "[say \"hi\"]", "[a b]", "[]",
                "[x\ty]", "[it's]", "[a|b]", "[$HOME]");
    }

    @Test
    void stopAndDeletedAndGroups() throws IOException {
        notifier = Typed.notifier(Map.of(), false);
        NotifyScripts vi = Typed.instance(config("VI_1",
                "notify.stop", recorder("stop"), "notify.deleted", recorder("deleted"), "notify", recorder("generic")));
        notifier.addInstance(vi);
        notifier.addGroup(Typed.group(config("G1", "notify.master", recorder("gmaster"),
                "notify", recorder("ggeneric"))));

        notifier.transition(event(Kind.GROUP, "G1", InstanceState.BACKUP, InstanceState.MASTER, 0, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 2);
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.MASTER, InstanceState.INIT, 150, true));
        await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 4);
        // a reload deletes the instance: the configuration goes first here, the core's event follows
        notifier.removeInstance(vi, true);
        notifier.transition(new TransitionEvent(Kind.INSTANCE, "VI_1", InstanceState.MASTER, InstanceState.FAULT, 150,
                false, Instant.now(), true));
        await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 6);

        assertThat(records()).containsExactlyInAnyOrder(
                "gmaster: ", "ggeneric: GROUP G1 MASTER 0",
                "stop: ", "generic: INSTANCE VI_1 STOP 150",
                "deleted: ", "generic: INSTANCE VI_1 DELETED 150");
    }

    @Test
    void aDeletedInstanceWithoutNotifyDeletedNotifiesFaultAndNeverStop() throws IOException {
        notifier = Typed.notifier(Map.of(), false);
        NotifyScripts vi = Typed.instance(config("VI_1", "notify.stop", recorder("stop"),
                "notify.fault", recorder("fault"), "notify", recorder("generic")));
        notifier.addInstance(vi);
        notifier.transition(new TransitionEvent(Kind.INSTANCE, "VI_1", InstanceState.MASTER, InstanceState.FAULT, 100,
                false, Instant.now(), true));
        notifier.removeInstance(vi, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 2);
        assertThat(records()).containsExactlyInAnyOrder("fault: ", "generic: INSTANCE VI_1 FAULT 100");
    }

    @Test
    void aStoppingGroupRunsOnlyItsNotifyStop() throws IOException {
        notifier = Typed.notifier(Map.of(), false);
        notifier.addGroup(Typed.group(config("G1", "notify.stop", recorder("gstop"),
                "notify", recorder("ggeneric"))));
        notifier.transition(event(Kind.GROUP, "G1", InstanceState.MASTER, InstanceState.INIT, 0, true));
        await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 1);
        assertThat(records()).containsExactly("gstop: ");
    }

    @Test
    void masterRxLowerPriRunsItsScriptAndPriorityChangesGoToTheFifoWhenAsked() throws Exception {
        Path fifo = dir.resolve("prio.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor(5, TimeUnit.SECONDS) && mk.exitValue() == 0).isTrue();
        notifier = Typed.notifier(Map.of("notify.fifo", fifo.toString()), false);
        notifier.addInstance(Typed.instance(config("VI_1", "notify.master.rx.lower.pri", recorder("rxlow") + " aws",
                "notify.priority.changes", true, "notify", recorder("generic"))));
        notifier.addInstance(Typed.instance(config("VI_2")));
        CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = Files.newBufferedReader(fifo, StandardCharsets.UTF_8)) {
                return List.of(r.readLine(), r.readLine(), r.readLine());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        notifier.priorityEvent(new org.vigil.api.vrrp.PriorityEvent("VI_1",
                org.vigil.api.vrrp.PriorityEvent.Kind.MASTER_RX_LOWER_PRI, 150, Instant.now()));
        // VI_2 has no notify_priority_changes (nor has global_defs): nothing for it
        notifier.priorityEvent(new org.vigil.api.vrrp.PriorityEvent("VI_2",
                org.vigil.api.vrrp.PriorityEvent.Kind.BACKUP_PRIORITY, 80, Instant.now()));
        notifier.priorityEvent(new org.vigil.api.vrrp.PriorityEvent("VI_1",
                org.vigil.api.vrrp.PriorityEvent.Kind.MASTER_PRIORITY, 90, Instant.now()));
        notifier.priorityEvent(new org.vigil.api.vrrp.PriorityEvent("VI_1",
                org.vigil.api.vrrp.PriorityEvent.Kind.BACKUP_PRIORITY, 80, Instant.now()));
        assertThat(read.get(10, TimeUnit.SECONDS)).containsExactly("INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 150",
                "INSTANCE \"VI_1\" MASTER_PRIORITY 90", "INSTANCE \"VI_1\" BACKUP_PRIORITY 80");
        await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 1);
        assertThat(records()).as("the generic notify is for state changes only").containsExactly("rxlow: aws");
    }

    @Test
    void theFifoScriptIsStartedWithTheFifoAndReadsItsLines() throws Exception {
        Path fifo = dir.resolve("script.fifo");
        Path out = dir.resolve("fifo-read.txt");
        Path reader = dir.resolve("reader.sh");
        Files.writeString(reader, "#!/bin/sh\necho \"args: $*\" > " + out + "\nwhile read line; do echo \"$line\" >> " + out
                + "; done < \"$2\"\n");
        Files.setPosixFilePermissions(reader, PosixFilePermissions.fromString("rwxr-xr-x"));
        notifier = Typed.notifier(Map.of("vrrp.notify.fifo", fifo.toString(),
                "vrrp.notify.fifo.script.command", reader + " first"), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(out));
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(out).size() == 2);
        assertThat(Files.readAllLines(out)).containsExactly("args: first " + fifo, "INSTANCE \"VI_1\" MASTER 100");
    }

    @Test
    void aFifoGivenToAUserIsReadByItsScriptRunningAsThatUser() throws Exception {
        HostRequirement.require(root(), "giving the FIFO to another user and running its reader as that user needs root");
        // keepalived's "vrrp_notify_fifo PATH nobody nogroup" and "vrrp_notify_fifo_script READER nobody"
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path outDir = Files.createDirectory(dir.resolve("nobodys"));
        Files.setOwner(outDir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Path out = outDir.resolve("fifo-read.txt");
        Path reader = dir.resolve("reader.sh");
        Files.writeString(reader, "#!/bin/sh\nid -un > " + out + "\nwhile read line; do echo \"$line\" >> " + out
                + "; done < \"$1\"\n");
        Files.setPosixFilePermissions(reader, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fifo = dir.resolve("owned.fifo");
        notifier = Typed.notifier(Map.of("vrrp.notify.fifo", fifo.toString(), "vrrp.notify.fifo.owner.user", "nobody",
                "vrrp.notify.fifo.owner.group", "nogroup", "vrrp.notify.fifo.script.command", reader.toString(),
                "vrrp.notify.fifo.script.user", "nobody"), true);

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(out));
        java.nio.file.attribute.PosixFileAttributes a = Files.readAttributes(fifo,
                java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        assertThat(a.owner().getName() + ":" + a.group().getName()).isEqualTo("nobody:nogroup");
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(out).size() == 2);
        assertThat(Files.readAllLines(out)).containsExactly("nobody", "INSTANCE \"VI_1\" MASTER 100");
    }

    @Test
    void stopScriptsQueuedAtShutdownStillRun() throws IOException {
        notifier = Typed.notifier(Map.of(), false);
        Path slow = dir.resolve("slow-stop.sh");
        Files.writeString(slow, "#!/bin/sh\nsleep 0.5\necho \"stop: $*\" >> " + dir.resolve("record.txt") + "\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
        notifier.addInstance(Typed.instance(config("VI_1", "notify.stop", slow.toString())));

        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.MASTER, InstanceState.INIT, 100, true));
        notifier.deactivate();

        assertThat(records()).containsExactly("stop: ");
        notifier = null;
    }

    @Test
    void aUserAttributeThatIsNotOneNameLeavesOnlyThatScriptOut() throws IOException {
        // a hand-written configuration in keepalived's words: the user attribute holds one name
        NotifyScripts vi = Typed.instance(config("VI_1", "notify.master", recorder("master"),
                "notify.master.user", "nobody nogroup", "notify.backup", recorder("backup"),
                "notify.backup.group", "nogroup", "notify.fault", recorder("fault"), "notify.fault.user", "nobody",
                "notify.fault.supplementary.groups", true));
        assertThat(vi.specific()).containsOnlyKeys(NotifyScripts.Event.FAULT);
        assertThat(vi.specific().get(NotifyScripts.Event.FAULT).user())
                .isEqualTo(new org.vigil.script.RunAs("nobody", null, true));
    }

    @Test
    void aScriptUserThatDoesNotReadRunsNoScriptWithoutItsOwnUser() throws IOException {
        // a hand-written global configuration in keepalived's words: never the default user instead
        notifier = Typed.notifier(Map.of("script.user", "nobody nogroup"), false);
        notifier.addInstance(Typed.instance(config("VI_1", "notify.master", recorder("master"),
                "notify.backup", recorder("backup"), "notify.backup.user", System.getProperty("user.name"))));
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.INIT, InstanceState.BACKUP, 100, false));
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.refused() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> records().contains("backup: "));
        assertThat(records()).containsExactly("backup: ");
    }

    @Test
    void aHangingScriptIsKilledAndDelaysNothing() throws IOException {
        notifier = Typed.notifier(Map.of(ScriptNotifier.TIMEOUT_KEY, 500L), false);
        Path hang = dir.resolve("hang.sh");
        Files.writeString(hang, "#!/bin/sh\necho $$ > " + dir.resolve("hang.pid") + "\nexec sleep 600\n");
        Files.setPosixFilePermissions(hang, PosixFilePermissions.fromString("rwxr-xr-x"));
        notifier.addInstance(Typed.instance(config("VI_1", "notify.master", hang.toString(),
                "notify.backup", recorder("backup"))));

        // The caller (the core's notification thread) only queues.
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> notifier
                .transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("hang.pid"))
                && !Files.readString(dir.resolve("hang.pid")).isBlank());
        long pid = Long.parseLong(Files.readString(dir.resolve("hang.pid")).strip());
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> notifier
                .transition(event(Kind.INSTANCE, "VI_1", InstanceState.MASTER, InstanceState.BACKUP, 100, false)));
        // The next script runs while the first still hangs, and the hanging one is killed at its timeout.
        await().atMost(Duration.ofSeconds(10)).until(() -> records().contains("backup: "));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void runsAsTheConfiguredUserWhenRoot() throws IOException {
        HostRequirement.require(root(), "running a notify script as another user needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path script = dir.resolve("id.sh");
        Files.writeString(script, "#!/bin/sh\n(id -un; id -gn) > " + dir.resolve("who.tmp") + "\nmv "
                + dir.resolve("who.tmp") + " " + dir.resolve("who.txt") + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        notifier = Typed.notifier(Map.of("script.user", "root"), true);
        // the bridge's typed user and group (keepalived's "notify_master SCRIPT nobody nogroup")
        notifier.addInstance(Typed.instance(config("VI_1", "notify.master", script.toString(),
                "notify.master.user", "nobody", "notify.master.group", "nogroup")));

        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("who.txt")));
        assertThat(Files.readAllLines(dir.resolve("who.txt"))).containsExactly("nobody", "nogroup");
    }

    @Test
    void scriptSecurityRefusesARootScriptOthersCanReplace() throws IOException {
        HostRequirement.require(root(), "enable_script_security's check applies to scripts run as root, so it needs root");
        // Writable by anyone, not sticky: anyone could swap the script that root runs.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String script = recorder("master");
        Map<String, Object> vi = config("VI_1", "notify.master", script);

        notifier = Typed.notifier(Map.of("enable.script.security", true, "script.user", "root"), true);
        notifier.addInstance(Typed.instance(vi));
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.refused() == 1);
        assertThat(records()).isEmpty();
        notifier.deactivate();

        // Without enable_script_security it runs (with keepalived's SECURITY VIOLATION warning).
        notifier = Typed.notifier(Map.of("script.user", "root"), true);
        notifier.addInstance(Typed.instance(vi));
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> records().contains("master: "));

        // A root-owned path nobody else can write passes.
        assertThat(ScriptSecurity.secure(Path.of("/bin/sh"))).isTrue();
        assertThat(ScriptSecurity.secure(Path.of(script))).isFalse();
    }

    @Test
    void writesKeepalivedsFifoLineAndNeverWaitsForAReader() throws Exception {
        Path fifo = dir.resolve("notify.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor(5, TimeUnit.SECONDS) && mk.exitValue() == 0).isTrue();
        notifier = Typed.notifier(Map.of("notify.fifo", fifo.toString()), false);

        // Nobody reads yet: the event must still return at once.
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> notifier
                .transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false)));
        notifier.transition(event(Kind.GROUP, "G1", InstanceState.BACKUP, InstanceState.MASTER, 0, false));
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.MASTER, InstanceState.INIT, 100, true));

        CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = Files.newBufferedReader(fifo, StandardCharsets.UTF_8)) {
                return List.of(r.readLine(), r.readLine(), r.readLine());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(read.get(10, TimeUnit.SECONDS)).containsExactly(
                "INSTANCE \"VI_1\" MASTER 100", "GROUP \"G1\" MASTER 0", "INSTANCE \"VI_1\" STOP 100");
    }

    @Test
    void createsTheFifoWhenMissing() {
        Path fifo = dir.resolve("made.fifo");
        notifier = Typed.notifier(Map.of("notify.fifo", fifo.toString()), false);
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(fifo));
        assertThat(Files.isRegularFile(fifo)).isFalse();
    }

    @Test
    void removesTheFifosItMadeWhenDroppedOrStoppingAndLeavesOneItFound() throws Exception {
        Path made = dir.resolve("made.fifo");
        Path moved = dir.resolve("moved.fifo");
        Path found = dir.resolve("found.fifo");
        Process mk = new ProcessBuilder("mkfifo", found.toString()).start();
        assertThat(mk.waitFor(5, TimeUnit.SECONDS) && mk.exitValue() == 0).isTrue();
        notifier = Typed.notifier(Map.of("notify.fifo", made.toString(), "vrrp.notify.fifo", found.toString()), false);
        // made when the configuration is read, as keepalived does
        assertThat(Files.readAttributes(made, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()).as("a FIFO at " + made).isTrue();

        // a reload moves notify_fifo: the FIFO made for the old path goes, the found one stays
        notifier.activate(Typed.typed(ScriptNotifier.Config.class, Map.of()),
                Typed.typed(ScriptNotifier.Global.class, Map.of("notify.fifo", moved.toString(),
                        "vrrp.notify.fifo", found.toString())));
        assertThat(Files.exists(made, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("the dropped FIFO").isFalse();
        assertThat(Files.readAttributes(moved, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, 100, false));

        notifier.deactivate();
        notifier = null;
        assertThat(Files.exists(moved, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("the made FIFO at stop").isFalse();
        assertThat(Files.readAttributes(found, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()).as("the FIFO Vigil found is left").isTrue();
    }
}
