package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.script.ScriptSecurity;

/** The vrrp_script side of org.vigil.script's checks: which scripts core runs, and its lines. */
class TrackScriptCheckTest {
    private final List<String> log = new ArrayList<>();

    private record FakeHost(int uid, Map<String, int[]> users) implements ScriptSecurity.Host {
        @Override
        public int currentUid() {
            return uid;
        }

        @Override
        public Optional<ScriptSecurity.Account> user(String name) {
            return Optional.ofNullable(users.get(name)).map(u -> new ScriptSecurity.Account(u[0], u[1]));
        }

        @Override
        public Optional<Integer> group(String name) {
            return Optional.ofNullable(users.get(name)).map(u -> u[1]);
        }
    }

    private static ScriptSpec spec(String command, String user) {
        return new ScriptSpec("chk", command, 1_000, 1_000, 0, false, 1, 1, user, null, false, false);
    }

    @Test
    void asRootAConfiguredUserRunsThroughSetprivWithOnlyItsPrimaryGroup() {
        var host = new FakeHost(0, Map.of("www", new int[] {33, 33}));
        ScriptSecurity.Decision d = TrackScriptCheck.decide(spec("/bin/true", "www"), true, null, host, log::add);
        assertThat(d.argv()).startsWith("/usr/bin/setpriv", "--reuid=33", "--regid=33", "--clear-groups", "--");
        assertThat(Path.of(d.argv().get(5)).getFileName().toString()).isEqualTo("true");
        assertThat(d.runAs()).isEqualTo("www");
    }

    @Test
    void anUnknownUserDisablesTheScript() {
        var host = new FakeHost(1000, Map.of());
        assertThat(TrackScriptCheck.decide(spec("/bin/true", "nobody_here"), true, null, host, log::add)).isNull();
        assertThat(TrackScriptCheck.decide(spec("/bin/true", null), false, org.vigil.script.RunAs.of("nobody_here", null, false), host, log::add)).isNull();
        // keepalived 2.2.7's lines
        assertThat(log).containsExactly("Script user 'nobody_here' does not exist",
                "Unable to set uid/gid for script '/bin/true'", "Script user 'nobody_here' does not exist",
                "Unable to set uid/gid for script '/bin/true'");
    }

    @Test
    void withoutRootAnotherUserCannotBeHad() {
        var host = new FakeHost(1000, Map.of("www", new int[] {33, 33}));
        assertThat(TrackScriptCheck.decide(spec("/bin/true", "www"), true, null, host, log::add)).isNull();
        assertThat(TrackScriptCheck.decide(spec("/bin/true", "www"), false, null, host, log::add).argv())
                .hasSize(1).allMatch(p -> Path.of(p).getFileName().toString().equals("true"));
        assertThat(log).contains("Cannot run script /bin/true as 'www': Vigil is not running as root",
                "VRRP_Script(chk) disabled: its user is not available");
    }

    @Test
    void rootWithoutKeepalivedScriptSaysSoAndAWritableScriptIsDisabled(@TempDir Path dir) throws IOException {
        var host = new FakeHost(0, Map.of());
        Path open = dir.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path script = open.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path real = script.toRealPath();

        // keepalived 2.2.7: no keepalived_script user and no script_user under enable_script_security
        assertThat(TrackScriptCheck.decide(spec(script.toString(), null), true, null, host, log::add)).isNull();
        assertThat(log).containsExactly("Script user 'keepalived_script' does not exist",
                "Unable to set default user keepalived_script for script",
                "Unable to set default user for vrrp script chk - removing");

        log.clear();
        var withRoot = new FakeHost(0, Map.of("root", new int[] {0, 0}));
        assertThat(TrackScriptCheck.decide(spec(script.toString(), "root"), true, null, withRoot, log::add)).isNull();
        assertThat(log).containsExactly("Unsafe permissions found for script '" + real + "' - disabling.",
                "Disabling track script chk due to insecure");

        log.clear();
        assertThat(TrackScriptCheck.decide(spec(script.toString(), null), false, null, host, log::add)).isNotNull();
        assertThat(log).containsExactly("Script user 'keepalived_script' does not exist",
                "Unsafe permissions found for script '" + real + "'.",
                "SECURITY VIOLATION - scripts are being executed but script_security not enabled. There are insecure scripts.");
    }

    @Test
    void anEmptyOrUnsplittableCommandIsDisabled() {
        var host = new FakeHost(1000, Map.of());
        assertThat(TrackScriptCheck.decide(spec("  ", null), false, null, host, log::add)).isNull();
        assertThat(TrackScriptCheck.decide(spec("/bin/true 'open", null), false, null, host, log::add)).isNull();
        assertThat(TrackScriptCheck.decide(spec("/bin/true x\\", null), false, null, host, log::add)).isNull();
        // keepalived 2.2.7's lines
        assertThat(log).containsExactly("No script set for vrrp_script chk - removing",
                "String '/bin/true 'open': missing terminating '", "No script set for vrrp_script chk - removing",
                "Missing escape char at end: '/bin/true x\\'", "No script set for vrrp_script chk - removing");
    }

    @Test
    void aMissingProgramIsDisabled(@TempDir Path dir) {
        var host = new FakeHost(1000, Map.of());
        Path missing = dir.resolve("missing.sh");
        assertThat(TrackScriptCheck.decide(spec(missing.toString(), null), false, null, host, log::add)).isNull();
        assertThat(log).containsExactly("Script " + missing + " cannot be accessed - No such file or directory",
                "Disabling track script chk since not found/accessible");
    }
}
