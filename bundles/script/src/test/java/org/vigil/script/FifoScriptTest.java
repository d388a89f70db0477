package org.vigil.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.testing.netns.HostRequirement;

/** A real reader script on a real FIFO. */
class FifoScriptTest {
    @TempDir
    Path dir;
    private final ScriptRunner runner = new ScriptRunner("test-fifo-scripts", 1, 0);

    @AfterEach
    void stop() {
        runner.close();
    }

    @Test
    void createsTheFifoStartsTheReaderWithItsPathLastAndKillsIt() throws Exception {
        Path reader = dir.resolve("reader.sh");
        Path record = dir.resolve("record");
        Files.writeString(reader, "#!/bin/sh\necho \"args $*\" >> " + record + "\n"
                + "while read line; do echo \"$line\" >> " + record + "; done < \"$2\"\n");
        Files.setPosixFilePermissions(reader, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fifo = dir.resolve("lvs.fifo");

        ScriptRun run = FifoScript.start(runner, fifo, () -> List.of(reader.toString(), "first"));

        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.getPosixFilePermissions(fifo)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (RandomAccessFile out = new RandomAccessFile(fifo.toFile(), "rw")) {
            out.write("RS [192.0.2.2]:tcp:80 [192.0.2.1]:tcp:80 DOWN\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(record)
                    && Files.readAllLines(record).contains("RS [192.0.2.2]:tcp:80 [192.0.2.1]:tcp:80 DOWN"));
            assertThat(Files.readAllLines(record).get(0)).isEqualTo("args first " + fifo);
            assertThat(run.result().toCompletableFuture().isDone()).as("a reader has no timeout").isFalse();
            // while a writer holds the FIFO the reader waits for lines: only a kill ends it
            run.kill();
            ScriptResult r = run.result().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(ScriptResult.Status.SIGNALLED);
        }
    }

    @Test
    void anExistingFifoIsKeptAndARefusedScriptIsNotRun() throws Exception {
        Path fifo = dir.resolve("fifo");
        FifoScript.createFifo(fifo);
        FifoScript.createFifo(fifo);
        ScriptRun run = FifoScript.start(runner, fifo, () -> null);
        assertThat(run.result().toCompletableFuture().get(10, TimeUnit.SECONDS).status())
                .isEqualTo(ScriptResult.Status.NOT_STARTED);
    }

    private static PosixFileAttributes attributes(Path p) throws Exception {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static void requireRoot() {
        HostRequirement.require(ScriptSecurity.Host.system().currentUid() == 0, "giving a FIFO to another user needs root");
    }

    @Test
    void aFifoWithAnOwnerIsGivenToThatUserAndGroup() throws Exception {
        requireRoot();
        List<String> log = new ArrayList<>();
        Path fifo = dir.resolve("notify.fifo");
        FifoScript.createFifo(fifo, new RunAs("nobody", "nogroup", false), ScriptSecurity.Host.system(), log::add);

        PosixFileAttributes a = attributes(fifo);
        assertThat(a.isOther()).as("a FIFO, not a file").isTrue();
        assertThat(a.owner().getName()).isEqualTo("nobody");
        assertThat(a.group().getName()).isEqualTo("nogroup");
        // the group given may read the events; nobody else
        assertThat(a.permissions()).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(log).isEmpty();
    }

    @Test
    void anOwnerWithoutAGroupGetsTheUsersPrimaryGroupAndMode0600() throws Exception {
        requireRoot();
        Path fifo = dir.resolve("lvs.fifo");
        FifoScript.createFifo(fifo, new RunAs("nobody", null, false), ScriptSecurity.Host.system(), m -> { });

        PosixFileAttributes a = attributes(fifo);
        assertThat(a.owner().getName()).isEqualTo("nobody");
        assertThat(a.group().getName()).isEqualTo("nogroup");
        assertThat(a.permissions()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void anUnknownOwnerIsOneLineAndTheFifoStaysVigilsUsers() throws Exception {
        String me = Files.getOwner(dir).getName();
        List<String> log = new ArrayList<>();
        Path fifo = dir.resolve("a.fifo");
        FifoScript.createFifo(fifo, new RunAs("no-such-user-vigil", null, false), ScriptSecurity.Host.system(), log::add);
        Path other = dir.resolve("b.fifo");
        FifoScript.createFifo(other, new RunAs("nobody", "no-such-group-vigil", false), ScriptSecurity.Host.system(),
                log::add);

        assertThat(log).containsExactly(
                "Unknown user no-such-user-vigil for FIFO " + fifo + "; it stays owned by Vigil's user",
                "Unknown group no-such-group-vigil for FIFO " + other + "; it stays owned by Vigil's user");
        for (Path p : List.of(fifo, other)) {
            assertThat(attributes(p).owner().getName()).isEqualTo(me);
            assertThat(attributes(p).permissions()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void anExistingFifoKeepsItsOwner() throws Exception {
        requireRoot();
        Path fifo = dir.resolve("kept.fifo");
        FifoScript.createFifo(fifo);
        FifoScript.createFifo(fifo, new RunAs("nobody", "nogroup", false), ScriptSecurity.Host.system(), m -> { });
        assertThat(attributes(fifo).owner().getName()).isEqualTo("root");
    }

    @Test
    void aReaderRunningAsTheOwnerReadsTheFifo() throws Exception {
        requireRoot();
        // the reader is nobody's, in a directory nobody may enter
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.setOwner(out, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Path record = out.resolve("record");
        Path fifo = dir.resolve("owned.fifo");
        ScriptRun run = FifoScript.start(runner, fifo, new RunAs("nobody", "nogroup", false), m -> { },
                () -> List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                        "/bin/sh", "-c", "while read line; do echo \"$line\" >> " + record + "; done < \"$0\""));
        try (RandomAccessFile w = new RandomAccessFile(fifo.toFile(), "rw")) {
            w.write("INSTANCE \"VI_1\" MASTER 100\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(record)
                    && Files.readAllLines(record).contains("INSTANCE \"VI_1\" MASTER 100"));
        } finally {
            run.kill();
        }
    }

    @Test
    void theOwnerIsTheFifosOwnElseScriptUserElseKeepalivedScriptElseVigilsUser() {
        ScriptSecurity.Host none = host(false);
        ScriptSecurity.Host withDefault = host(true);
        RunAs own = new RunAs("daemon", "adm", false);
        assertThat(FifoScript.owner(own, new RunAs("nobody", null, false), withDefault)).isEqualTo(own);
        assertThat(FifoScript.owner(null, new RunAs("nobody", "nogroup", true), withDefault))
                .isEqualTo(new RunAs("nobody", "nogroup", false));
        assertThat(FifoScript.owner(null, null, withDefault)).isEqualTo(new RunAs(ScriptSecurity.DEFAULT_USER, null, false));
        assertThat(FifoScript.owner(null, null, none)).isNull();
    }

    private static ScriptSecurity.Host host(boolean keepalivedScript) {
        return new ScriptSecurity.Host() {
            @Override
            public int currentUid() {
                return 0;
            }

            @Override
            public java.util.Optional<ScriptSecurity.Account> user(String name) {
                return keepalivedScript && name.equals(ScriptSecurity.DEFAULT_USER)
                        ? java.util.Optional.of(new ScriptSecurity.Account(990, 990)) : java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<Integer> group(String name) {
                return java.util.Optional.empty();
            }
        };
    }
}
