package org.vigil.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.script.ScriptSecurity;

/** The checker's scripts run as real processes, split by keepalived's rules, refused ones not at all. */
class NotifyScriptsTest {
    @TempDir
    Path dir;
    final NotifyScripts scripts = new NotifyScripts(ScriptSecurity.Host.system());
    final LogLines log = new LogLines();

    @AfterEach
    void tearDown() {
        scripts.shutdown();
        log.close();
    }

    @Test
    void aScriptRunsWithItsArgumentsSplitAsKeepalivedDoes() throws Exception {
        Path record = dir.resolve("record");
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, "#!/bin/sh\nprintf '%s|' \"$@\" >> " + record + "\necho >> " + record + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        scripts.run("notify_down", script + " down '[192.0.2.21]:tcp:80 of VS'");
        scripts.run("quorum_up", script + " quorum\\ up");
        assertThat(scripts.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(Files.readAllLines(record)).containsExactlyInAnyOrder("down|[192.0.2.21]:tcp:80 of VS|",
                "quorum up|");
    }

    @Test
    void aScriptRunsAsItsOwnUserElseScriptUser() throws Exception {
        org.vigil.testing.netns.NetnsLab.requireRootAndIp("running a script as another user");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path script = dir.resolve("whoami.sh");
        Files.writeString(script, "#!/bin/sh\nid -un > " + out + "/$1\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        // its own user wins over script_user; script_user is the default otherwise
        scripts.run("notify_up", script + " own", org.vigil.script.RunAs.of("nobody", null, false),
                org.vigil.script.RunAs.of("daemon", null, false), false);
        scripts.run("notify_down", script + " global", null, org.vigil.script.RunAs.of("daemon", null, false), false);
        assertThat(scripts.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(Files.readString(out.resolve("own")).strip()).isEqualTo("nobody");
        assertThat(Files.readString(out.resolve("global")).strip()).isEqualTo("daemon");
        assertThat(log.with("SECURITY VIOLATION")).as("nothing runs as root").isEmpty();
    }

    @Test
    void aMissingScriptIsRefusedWithKeepalivedsLineAndDecidedOnce() throws Exception {
        Path missing = dir.resolve("missing.sh");
        scripts.run("notify_up", missing.toString());
        scripts.run("notify_up", missing.toString());
        assertThat(scripts.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(log.with("cannot be accessed")).containsExactly("Script " + missing
                + " cannot be accessed - No such file or directory");
        assertThat(scripts.decidedCommands()).isEqualTo(List.of(missing.toString()));
    }

    @Test
    void linesNamingNoScriptAreLoggedOnce() throws Exception {
        Path script = dir.resolve("ok.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        scripts.run("notify_up", script + " a");
        scripts.run("notify_up", script + " b");
        scripts.run("notify_down", script + " c");
        assertThat(scripts.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(scripts.decidedCommands()).hasSize(3);
        assertThat(log.all()).doesNotHaveDuplicates();
    }

    @Test
    void anUnterminatedQuoteIsRefused() throws Exception {
        scripts.run("quorum_down", "/bin/true 'open");
        assertThat(scripts.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(log.with("quorum_down")).containsExactly("Invalid quorum_down script /bin/true 'open - ignoring");
    }
}
