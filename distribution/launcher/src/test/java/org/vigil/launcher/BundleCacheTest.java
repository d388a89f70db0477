package org.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCacheTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final KeepalivedLog log = new KeepalivedLog(new PrintStream(logged, true, StandardCharsets.UTF_8));

    private Path installation() throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("bundle"));
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("bundle/a-1.0.jar"), "a");
        Files.writeString(home.resolve("lib/launcher.jar"), "l");
        Files.writeString(home.resolve("etc/vigil.bndrun"), "-runbundles: a");
        return home;
    }

    @Test
    void theStampChangesWithEveryJarOfBundleAndDeploy() throws IOException {
        Path home = installation();
        String before = BundleCache.stamp(home);
        assertThat(BundleCache.stamp(home)).isEqualTo(before);

        Files.writeString(home.resolve("bundle/b-1.0.jar"), "b");
        String added = BundleCache.stamp(home);
        assertThat(added).isNotEqualTo(before);

        Files.setLastModifiedTime(home.resolve("bundle/a-1.0.jar"), FileTime.fromMillis(1_000));
        assertThat(BundleCache.stamp(home)).isNotEqualTo(added);

        Files.delete(home.resolve("bundle/b-1.0.jar"));
        Files.createDirectories(home.resolve("deploy"));
        String beforeDeploy = BundleCache.stamp(home);
        Files.writeString(home.resolve("deploy/c.jar"), "c");
        assertThat(BundleCache.stamp(home)).isNotEqualTo(beforeDeploy);
        // a configuration in deploy/ is not part of it: FileInstall applies it at every start
        String withJar = BundleCache.stamp(home);
        Files.writeString(home.resolve("deploy/x.cfg"), "k=v");
        assertThat(BundleCache.stamp(home)).isEqualTo(withJar);
    }

    @Test
    void warmOnlyOnceACleanStartHasWrittenTheStamp() throws IOException {
        Path state = dir.resolve("state");
        Path run = Files.createDirectories(dir.resolve("run"));
        try (BundleCache first = BundleCache.open(state, true, run, "stamp-1\n", log)) {
            assertThat(first.kept()).isTrue();
            assertThat(first.warm()).isFalse();
            Files.createDirectories(first.storage());
            first.beginClean();
            first.installed();
        }
        try (BundleCache second = BundleCache.open(state, true, run, "stamp-1\n", log)) {
            assertThat(second.warm()).isTrue();
            assertThat(second.storage()).isEqualTo(state.resolve(BundleCache.CACHE));
        }
        try (BundleCache upgraded = BundleCache.open(state, true, run, "stamp-2\n", log)) {
            assertThat(upgraded.kept()).isTrue();
            assertThat(upgraded.warm()).isFalse();
        }
        assertThat(logged.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aSecondDaemonOnTheSameStateDirectoryGetsATemporaryCache() throws IOException {
        Path state = dir.resolve("state");
        Path run = Files.createDirectories(dir.resolve("run"));
        try (BundleCache holder = BundleCache.open(state, true, run, "s\n", log);
                BundleCache other = BundleCache.open(state, true, run, "s\n", log)) {
            assertThat(holder.kept()).isTrue();
            assertThat(other.kept()).isFalse();
            assertThat(other.storage()).isEqualTo(run.resolve("cache"));
        }
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("is in use by another Vigil").hasLineCount(1);
    }

    @Test
    void anUnwritableStateDirectoryIsOneLineWhenAskedForAndSilentWhenItIsTheDefault() throws IOException {
        if ("root".equals(System.getProperty("user.name"))) {
            // root writes anywhere: make the state directory a regular file instead
            Path notADir = Files.writeString(dir.resolve("file"), "x");
            Path run = Files.createDirectories(dir.resolve("run"));
            try (BundleCache c = BundleCache.open(notADir, false, run, "s\n", log)) {
                assertThat(c.kept()).isFalse();
            }
            assertThat(logged.toString(StandardCharsets.UTF_8)).isEmpty();
            try (BundleCache c = BundleCache.open(notADir, true, run, "s\n", log)) {
                assertThat(c.kept()).isFalse();
            }
        } else {
            Path locked = Files.createDirectories(dir.resolve("locked"));
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
            Path run = Files.createDirectories(dir.resolve("run"));
            try (BundleCache c = BundleCache.open(locked.resolve("var"), false, run, "s\n", log)) {
                assertThat(c.kept()).isFalse();
            }
            assertThat(logged.toString(StandardCharsets.UTF_8)).isEmpty();
            try (BundleCache c = BundleCache.open(locked.resolve("var"), true, run, "s\n", log)) {
                assertThat(c.kept()).isFalse();
            }
        }
        String line = logged.toString(StandardCharsets.UTF_8);
        assertThat(line).contains("not usable").doesNotContain("Exception").hasLineCount(1);
    }
}
