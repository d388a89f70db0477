package org.vigil.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.testing.netns.HostRequirement;

/**
 * keepalived's user choice and script security, with its words (checked against keepalived
 * 2.2.7's own log on this machine, see the README). Fake user databases where the rule is about
 * users; real files, and root where the rule is about ownership (skipped without root, failing
 * under CI=true).
 */
class ScriptSecurityTest {
    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();

    private record FakeHost(int uid, Map<String, ScriptSecurity.Account> users, Map<String, Integer> groups)
            implements ScriptSecurity.Host {
        @Override
        public int currentUid() {
            return uid;
        }

        @Override
        public Optional<ScriptSecurity.Account> user(String name) {
            return Optional.ofNullable(users.get(name));
        }

        @Override
        public Optional<Integer> group(String name) {
            return Optional.ofNullable(groups.get(name));
        }
    }

    private static final FakeHost ROOT = new FakeHost(0,
            Map.of("www", new ScriptSecurity.Account(33, 33), "nobody", new ScriptSecurity.Account(65534, 65534),
                    "root", new ScriptSecurity.Account(0, 0)),
            Map.of("www", 33, "adm", 4, "root", 0));

    private static boolean root() {
        return ScriptSecurity.Host.system().currentUid() == 0;
    }

    private Path script(Path in, String name, String mode) throws IOException {
        Path p = in.resolve(name);
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    private ScriptSecurity.Decision decide(String command, String user, String scriptUser, boolean security,
            ScriptSecurity.Host host) {
        return ScriptSecurity.decide(CommandLine.parse(command), user, scriptUser, security, host, log::add);
    }

    @Test
    void theScriptsOwnUserWinsOverScriptUserAndRunsThroughSetpriv() throws IOException {
        Path s = script(dir, "chk.sh", "rwxr-xr-x");
        ScriptSecurity.Decision d = decide(s + " a 'b c'", "www", "nobody", true, ROOT);
        assertThat(d.allowed()).isTrue();
        assertThat(d.argv()).containsExactly("/usr/bin/setpriv", "--reuid=33", "--regid=33", "--clear-groups", "--",
                s.toRealPath().toString(), "a", "b c");
        assertThat(d.runAs()).isEqualTo("www");

        ScriptSecurity.Decision global = decide(s.toString(), null, "nobody adm", true, ROOT);
        assertThat(global.argv()).startsWith("/usr/bin/setpriv", "--reuid=65534", "--regid=4", "--clear-groups", "--");
        // keepalived's "user :group": the user's supplementary groups too
        ScriptSecurity.Decision supplementary = decide(s.toString(), "www :adm", null, true, ROOT);
        assertThat(supplementary.argv()).startsWith("/usr/bin/setpriv", "--reuid=33", "--regid=4", "--init-groups", "--");
        assertThat(decide(s.toString(), "www :", null, true, ROOT).argv())
                .startsWith("/usr/bin/setpriv", "--reuid=33", "--regid=33", "--init-groups", "--");
    }

    @Test
    void typedUsersDecideAsKeepalivedsWordsDo() throws IOException {
        Path s = script(dir, "chk.sh", "rwxr-xr-x");
        CommandLine c = CommandLine.parse(s.toString());
        RunAs supplementary = RunAs.of("www", "adm", true);
        assertThat(supplementary).isEqualTo(RunAs.words("www :adm")).hasToString("www :adm");
        assertThat(ScriptSecurity.decide(c, supplementary, null, true, ROOT, log::add).argv())
                .isEqualTo(decide(s.toString(), "www :adm", null, true, ROOT).argv())
                .startsWith("/usr/bin/setpriv", "--reuid=33", "--regid=4", "--init-groups", "--");
        assertThat(ScriptSecurity.decide(c, null, RunAs.of("nobody", "adm", false), true, ROOT, log::add).argv())
                .startsWith("/usr/bin/setpriv", "--reuid=65534", "--regid=4", "--clear-groups", "--");
        assertThat(RunAs.of("", "", false)).as("no user: script_user or the default").isNull();
        assertThat(RunAs.of("www", "", true)).hasToString("www :");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunAs.of("", "adm", false))
                .hasMessage("a group needs a user");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunAs.of("www adm", "", false))
                .hasMessage("user 'www adm': one name expected");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunAs.of("www", ":adm", false))
                .hasMessage("group ':adm': one name expected, without ':'");
    }

    @Test
    void anUnknownUserOrGroupRefusesTheScriptWithOrWithoutScriptSecurity() throws IOException {
        Path s = script(dir, "chk.sh", "rwxr-xr-x");
        assertThat(decide(s.toString(), "ghost", null, false, ROOT).refusal()).isEqualTo(ScriptSecurity.Refusal.USER);
        assertThat(decide(s.toString(), null, "www ghosts", true, ROOT).refusal()).isEqualTo(ScriptSecurity.Refusal.USER);
        assertThat(log).containsExactly("Script user 'ghost' does not exist", "Script group 'ghosts' does not exist");
    }

    @Test
    void withoutKeepalivedScriptRootRunsItUnlessScriptSecurityIsOn() {
        ScriptSecurity.Decision d = decide("/bin/true", null, null, false, ROOT);
        assertThat(d.allowed()).isTrue();
        assertThat(d.runAs()).isNull();
        assertThat(d.root()).isTrue();
        assertThat(log).containsExactly("Script user 'keepalived_script' does not exist");
        // keepalived 2.2.7: under enable_script_security it will not fall back to root
        log.clear();
        assertThat(decide("/bin/true", null, null, true, ROOT).refusal()).isEqualTo(ScriptSecurity.Refusal.DEFAULT_USER);
        assertThat(log).containsExactly("Script user 'keepalived_script' does not exist",
                "Unable to set default user keepalived_script for script");
        assertThat(decide("/bin/true", null, "root", true, ROOT).allowed()).isTrue();

        var withDefault = new FakeHost(0, Map.of("keepalived_script", new ScriptSecurity.Account(998, 997)), Map.of());
        assertThat(decide("/bin/true", null, null, true, withDefault).argv())
                .startsWith("/usr/bin/setpriv", "--reuid=998", "--regid=997", "--clear-groups", "--");
    }

    @Test
    void withoutRootAnotherUserCannotBeHad() {
        var user = new FakeHost(1000, ROOT.users(), ROOT.groups());
        assertThat(decide("/bin/true", "www", null, true, user).refusal()).isEqualTo(ScriptSecurity.Refusal.NOT_ROOT);
        ScriptSecurity.Decision d = decide("/bin/true", "www", null, false, user);
        assertThat(d.allowed()).isTrue();
        assertThat(d.runAs()).isNull();
        assertThat(d.argv()).hasSize(1);
        assertThat(log).contains("Cannot run script /bin/true as 'www': Vigil is not running as root");
    }

    @Test
    void aBareProgramNameIsSearchedOnThePathWithKeepalivedsWarning() {
        ScriptSecurity.Decision d = decide("true --version", null, "nobody", false, ROOT);
        assertThat(d.allowed()).isTrue();
        assertThat(d.argv().get(d.argv().size() - 1)).isEqualTo("--version");
        assertThat(log).anyMatch(l -> l.matches("WARNING - script `true` resolved by path search to `.*/true`\\. "
                + "Please specify full path\\."));

        log.clear();
        assertThat(decide("no-such-program-here", null, "nobody", false, ROOT).refusal())
                .isEqualTo(ScriptSecurity.Refusal.NOT_FOUND);
        assertThat(log).containsExactly("Cannot find script no-such-program-here in path - disabling");
    }

    @Test
    void aMissingScriptIsRefused() {
        Path missing = dir.resolve("missing.sh");
        assertThat(decide(missing.toString(), null, "nobody", false, ROOT).refusal())
                .isEqualTo(ScriptSecurity.Refusal.NOT_FOUND);
        assertThat(log).containsExactly("Script " + missing + " cannot be accessed - No such file or directory");
    }

    @Test
    void aNonExecutableScriptIsRefusedWithKeepalivedsWords() throws IOException {
        Path s = script(dir, "noexec.sh", "rw-r--r--");
        assertThat(decide(s.toString(), null, "nobody", false, ROOT).refusal())
                .isEqualTo(ScriptSecurity.Refusal.NOT_EXECUTABLE);
        assertThat(decide(s.toString(), null, "root", true, ROOT).refusal())
                .isEqualTo(ScriptSecurity.Refusal.NOT_EXECUTABLE);
        assertThat(log).contains(
                "WARNING - script '" + s.toRealPath() + "' is not executable for uid:gid 65534:65534 - disabling.",
                "WARNING - script '" + s.toRealPath() + "' is not executable for uid:gid 0:0 - disabling.");
    }

    @Test
    void onlyTheOwnerBitCountsForTheOwnerAndTheGroupBitForTheGroup() {
        // keepalived's is_executable: root needs any x bit; the owner its own bit; the group its bit; others theirs
        assertThat(ScriptSecurity.executable(0100, 5, 5, 0, 0)).isTrue();
        assertThat(ScriptSecurity.executable(0011, 5, 6, 5, 6)).isFalse();
        assertThat(ScriptSecurity.executable(0010, 5, 6, 7, 6)).isTrue();
        assertThat(ScriptSecurity.executable(0101, 5, 6, 7, 6)).isFalse();
        assertThat(ScriptSecurity.executable(0001, 5, 6, 7, 8)).isTrue();
    }

    @Test
    void aRootScriptOthersCanReplaceIsRefusedUnderScriptSecurity() throws IOException {
        // The directory is world-writable and not sticky: anyone could swap the script root runs.
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path s = script(open, "chk.sh", "rwxr-xr-x");
        Path real = s.toRealPath();

        assertThat(decide(s.toString(), null, "root", true, ROOT).refusal()).isEqualTo(ScriptSecurity.Refusal.INSECURE);
        assertThat(log).containsExactly("Unsafe permissions found for script '" + real + "' - disabling.");
        log.clear();
        ScriptSecurity.Decision d = decide(s.toString(), null, "root", false, ROOT);
        assertThat(d.allowed()).isTrue();
        assertThat(d.insecure()).isTrue();
        assertThat(log).containsExactly("Unsafe permissions found for script '" + real + "'.");
        assertThat(ScriptSecurity.securityViolation(d.insecure())).isEqualTo(
                "SECURITY VIOLATION - scripts are being executed but script_security not enabled. There are insecure scripts.");

        // the same script run as another user is not root's problem
        log.clear();
        assertThat(decide(s.toString(), "www", null, true, ROOT).insecure()).isFalse();
        // but group root is
        assertThat(decide(s.toString(), "www root", null, true, ROOT).refusal()).isEqualTo(ScriptSecurity.Refusal.INSECURE);
    }

    @Test
    void groupOrWorldWritableRootScriptsAreInsecureStickyDirectoriesAreNot() throws IOException {
        HostRequirement.require(root(), "ownership rules need files owned by root, so this needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path ok = script(dir, "ok.sh", "rwxr-xr-x");
        Path groupWritable = script(dir, "gw.sh", "rwxrwxr-x");
        Files.setAttribute(groupWritable, "unix:gid", 65534);
        Path rootGroupWritable = script(dir, "rgw.sh", "rwxrwxr-x");
        Files.setAttribute(rootGroupWritable, "unix:gid", 0);
        Path worldWritable = script(dir, "ww.sh", "rwxr-xrwx");
        Path notRoots = script(dir, "nobody.sh", "rwxr-xr-x");
        Files.setAttribute(notRoots, "unix:uid", 65534);
        Path sticky = Files.createDirectory(dir.resolve("sticky"));
        Files.setAttribute(sticky, "unix:mode", 01777); // like /tmp
        Path inSticky = script(sticky, "s.sh", "rwxr-xr-x");

        assertThat(ScriptSecurity.secure(ok)).isTrue();
        assertThat(ScriptSecurity.secure(rootGroupWritable)).isTrue();
        assertThat(ScriptSecurity.secure(inSticky)).isTrue();
        assertThat(ScriptSecurity.secure(groupWritable)).isFalse();
        assertThat(ScriptSecurity.secure(worldWritable)).isFalse();
        assertThat(ScriptSecurity.secure(notRoots)).isFalse();

        var host = ScriptSecurity.Host.system();
        for (Path bad : List.of(groupWritable, worldWritable, notRoots)) {
            assertThat(ScriptSecurity.decide(CommandLine.parse(bad.toString()), "root", null, true, host, log::add)
                    .refusal()).isEqualTo(ScriptSecurity.Refusal.INSECURE);
        }
        assertThat(log).containsExactly(
                "Unsafe permissions found for script '" + groupWritable.toRealPath() + "' - disabling.",
                "Unsafe permissions found for script '" + worldWritable.toRealPath() + "' - disabling.",
                "Unsafe permissions found for script '" + notRoots.toRealPath() + "' - disabling.");
        assertThat(ScriptSecurity.decide(CommandLine.parse(ok.toString()), "root", null, true, host, log::add).allowed())
                .isTrue();
    }

    @Test
    void aSymlinkedScriptRunsAsTheFileItResolvesTo() throws IOException {
        Path target = script(dir, "real.sh", "rwxr-xr-x");
        Path link = Files.createSymbolicLink(Files.createDirectory(dir.resolve("bin")).resolve("link.sh"), target);
        ScriptSecurity.Decision d = decide(link.toString(), null, "nobody", false, ROOT);
        assertThat(d.argv().get(d.argv().size() - 1)).isEqualTo(target.toRealPath().toString());
    }

    @Test
    void asRootTheScriptRunsAsTheConfiguredUserWithOnlyItsOwnGroup() throws Exception {
        HostRequirement.require(root(), "switching users needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path out = dir.resolve("id.txt");
        Path s = dir.resolve("id.sh");
        Files.writeString(s, "#!/bin/sh\n{ id -u; id -g; id -G; } > " + out + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        ScriptSecurity.Decision d = ScriptSecurity.decide(CommandLine.parse(s.toString()), "nobody", null, true,
                ScriptSecurity.Host.system(), log::add);
        assertThat(d.allowed()).isTrue();
        assertThat(d.runAs()).isEqualTo("nobody");

        try (ScriptRunner runner = new ScriptRunner("test-as-user", 1, 1)) {
            ScriptResult r = runner.run(d.argv(), Duration.ofSeconds(10)).result().toCompletableFuture()
                    .get(15, TimeUnit.SECONDS);
            assertThat(r.succeeded()).as(r.toString()).isTrue();
        }
        int nobody = ScriptSecurity.Host.system().user("nobody").orElseThrow().uid();
        int nogroup = ScriptSecurity.Host.system().user("nobody").orElseThrow().gid();
        // not root's supplementary group 0: keepalived sets only the primary group by default
        assertThat(Files.readAllLines(out)).containsExactly(Integer.toString(nobody), Integer.toString(nogroup),
                Integer.toString(nogroup));
    }
}
