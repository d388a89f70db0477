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

class ScriptSecurityTest {
    private final List<String> log = new ArrayList<>();

    private record FakeHost(int uid, Map<String, int[]> users) implements ScriptSecurity.Host {
        @Override
        public int currentUid() {
            return uid;
        }

        @Override
        public Optional<int[]> user(String name) {
            return Optional.ofNullable(users.get(name));
        }

        @Override
        public Optional<Integer> group(String name) {
            return Optional.ofNullable(users.get(name)).map(u -> u[1]);
        }
    }

    private static ScriptSpec spec(String command, String user) {
        return new ScriptSpec("chk", command, 1_000, 1_000, 0, false, 1, 1, user, false);
    }

    @Test
    void asRootAConfiguredUserRunsThroughSetpriv() {
        var host = new FakeHost(0, Map.of("www", new int[] {33, 33}));
        ScriptSecurity.Decision d = ScriptSecurity.decide(spec("/bin/true", "www"), true, null, host, log::add);
        assertThat(d.argv()).containsExactly("/usr/bin/setpriv", "--reuid=33", "--regid=33", "--init-groups", "--",
                "/bin/true");
        assertThat(d.runAs()).isEqualTo("www");
    }

    @Test
    void anUnknownUserDisablesTheScriptOnlyUnderScriptSecurity() {
        var host = new FakeHost(1000, Map.of());
        assertThat(ScriptSecurity.decide(spec("/bin/true", "nobody_here"), true, null, host, log::add)).isNull();
        ScriptSecurity.Decision d = ScriptSecurity.decide(spec("/bin/true", null), false, "nobody_here", host, log::add);
        assertThat(d.argv()).containsExactly("/bin/true");
        assertThat(log).contains("Unable to find user 'nobody_here' for script chk");
    }

    @Test
    void withoutRootAnotherUserCannotBeHad() {
        var host = new FakeHost(1000, Map.of("www", new int[] {33, 33}));
        assertThat(ScriptSecurity.decide(spec("/bin/true", "www"), true, null, host, log::add)).isNull();
        assertThat(ScriptSecurity.decide(spec("/bin/true", "www"), false, null, host, log::add).argv())
                .containsExactly("/bin/true");
        assertThat(log).contains("Cannot run script chk as 'www': Vigil is not running as root");
    }

    @Test
    void rootWithoutKeepalivedScriptWarnsAndAWritableScriptIsDisabled(@TempDir Path dir) throws IOException {
        var host = new FakeHost(0, Map.of());
        Path open = dir.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path script = open.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(ScriptSecurity.decide(spec(script.toString(), null), true, null, host, log::add)).isNull();
        assertThat(log).contains("WARNING - default user 'keepalived_script' for script execution does not exist - please create.",
                "Unsafe permissions found for script '" + script + "' - disabling.");

        log.clear();
        assertThat(ScriptSecurity.decide(spec(script.toString(), null), false, null, host, log::add)).isNotNull();
        assertThat(log).contains("Unsafe permissions found for script '" + script + "'.");
    }

    @Test
    void systemBinariesAreSecure() {
        assertThat(ScriptSecurity.secure(Path.of("/bin/sh"))).isTrue();
    }
}
