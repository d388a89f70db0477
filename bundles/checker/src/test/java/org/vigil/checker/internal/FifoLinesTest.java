package org.vigil.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.script.RunAs;
import org.vigil.script.ScriptSecurity;
import org.vigil.testing.netns.HostRequirement;

/** lvs_notify_fifo as the checker creates it: a real FIFO, given to its owner. */
class FifoLinesTest {
    @TempDir
    Path dir;

    @Test
    void theFifoIsCreatedForItsOwnerWhoReadsTheLines() throws Exception {
        HostRequirement.require(ScriptSecurity.Host.system().currentUid() == 0, "giving a FIFO to another user needs root");
        Path fifo = dir.resolve("lvs.fifo");
        FifoLines lines = new FifoLines();
        try {
            lines.owner(fifo.toString(), new RunAs("nobody", "nogroup", false));
            lines.write(fifo.toString(), "VS [192.0.2.249]:tcp:80 DOWN");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
            PosixFileAttributes a = Files.readAttributes(fifo, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertThat(a.isOther()).as("a FIFO").isTrue();
            assertThat(a.owner().getName() + ":" + a.group().getName()).isEqualTo("nobody:nogroup");
            assertThat(a.permissions()).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
            try (BufferedReader r = Files.newBufferedReader(fifo, StandardCharsets.UTF_8)) {
                assertThat(r.readLine()).isEqualTo("VS [192.0.2.249]:tcp:80 DOWN");
            }
        } finally {
            lines.shutdown();
        }
    }

    @Test
    void theFifoMadeHereIsRemovedAtShutdownAndOneFoundIsLeft() throws Exception {
        Path made = dir.resolve("made.fifo");
        Path found = dir.resolve("found.fifo");
        Process mk = new ProcessBuilder("mkfifo", found.toString()).start();
        assertThat(mk.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && mk.exitValue() == 0).isTrue();
        FifoLines lines = new FifoLines();
        lines.write(made.toString(), "VS [192.0.2.249]:tcp:80 UP");
        lines.write(found.toString(), "VS [192.0.2.249]:tcp:80 UP");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAttributes(made, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther());
        lines.shutdown();
        assertThat(Files.exists(made, LinkOption.NOFOLLOW_LINKS)).as("the FIFO made by the checker").isFalse();
        assertThat(Files.readAttributes(found, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()).as("the FIFO the checker found").isTrue();
    }
}
