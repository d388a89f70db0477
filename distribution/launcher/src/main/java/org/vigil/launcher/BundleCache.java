package org.vigil.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.osgi.framework.Constants;

/**
 * Felix's bundle cache kept between starts in the state directory (issue 12, start-up budget): a
 * warm start reloads the installed bundles from the cache instead of installing bundle/ again.
 * The cache is valid for the installation it was written from: its stamp names the launcher, the
 * runtime, etc/vigil.bndrun and every jar of bundle/ and deploy/ with its size and modification
 * time, so an upgrade (a jar added, removed or replaced) makes the next start a clean one. The
 * stamp is written only once a clean start has installed everything, and removed before a clean
 * start begins, so a start that died half way is followed by a clean one.
 *
 * <p>Without a usable state directory, or while another daemon of the same state directory holds
 * its lock, the cache is this run's temporary folder, cleaned at every start as before.
 */
final class BundleCache implements AutoCloseable {
    static final String CACHE = "bundle-cache";
    static final String STAMP = "bundle-cache.stamp";
    static final String LOCK = "bundle-cache.lock";

    private final Path storage;
    private final Path stateDir;
    private final String stamp;
    private final FileChannel lockChannel;
    private boolean warm;

    private BundleCache(Path storage, Path stateDir, String stamp, FileChannel lockChannel, boolean warm) {
        this.storage = storage;
        this.stateDir = stateDir;
        this.stamp = stamp;
        this.lockChannel = lockChannel;
        this.warm = warm;
    }

    /**
     * The cache for this start: the kept one in {@code stateDir} (warm when its stamp matches
     * {@code stamp}), else a clean one in {@code runtimeDir}. {@code stateDir} null: no kept cache.
     * A state directory that was asked for ({@code explicit}: VIGIL_STATE_DIR, systemd's) and cannot
     * be used gives one line; the default one (var/ of an installation the user may not write, as
     * an unprivileged user's run of the tar.gz) silently leaves the cache temporary, as before.
     */
    static BundleCache open(Path stateDir, boolean explicit, Path runtimeDir, String stamp, KeepalivedLog log) {
        Path temporary = runtimeDir.resolve("cache");
        if (stateDir == null) {
            return new BundleCache(temporary, null, stamp, null, false);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(stateDir);
            channel = FileChannel.open(stateDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                log.log("Bundle cache " + stateDir.resolve(CACHE) + " is in use by another Vigil: this one installs its bundles from bundle/");
                return new BundleCache(temporary, null, stamp, null, false);
            }
            boolean warm = stamp.equals(readStamp(stateDir.resolve(STAMP))) && Files.isDirectory(stateDir.resolve(CACHE));
            return new BundleCache(stateDir.resolve(CACHE), stateDir, stamp, channel, warm);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (explicit) {
                log.log("Bundle cache in " + stateDir + " not usable (" + reason(e) + "): bundles are installed from bundle/ at each start");
            }
            return new BundleCache(temporary, null, stamp, null, false);
        }
    }

    /** Whether the bundles of this start come from the kept cache (Felix must not clean it). */
    boolean warm() {
        return warm;
    }

    /** Whether the cache outlives this run. */
    boolean kept() {
        return stateDir != null;
    }

    Path storage() {
        return storage;
    }

    /** Felix's storage properties for this start. */
    void configure(java.util.Map<String, String> properties) {
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN,
                warm ? "none" : Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    }

    /**
     * The warm start failed (a corrupt or unreadable cache, a bundle missing from it): the next
     * attempt is a clean start into the same directory.
     */
    void discard() throws IOException {
        warm = false;
        Files.deleteIfExists(stateDir.resolve(STAMP));
    }

    /** Before a clean start into the kept cache: no stamp until everything is installed. */
    void beginClean() throws IOException {
        if (kept()) {
            Files.deleteIfExists(stateDir.resolve(STAMP));
        }
    }

    /** A clean start installed bundle/: the next start with the same installation is warm. */
    void installed() throws IOException {
        if (!kept()) {
            return;
        }
        Path target = stateDir.resolve(STAMP);
        Path tmp = stateDir.resolve(STAMP + ".tmp");
        Files.writeString(tmp, stamp, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** This run's cache is no longer the kept one (it could not be written): the temporary one. */
    BundleCache temporary(Path runtimeDir) {
        close();
        return new BundleCache(runtimeDir.resolve("cache"), null, stamp, null, false);
    }

    @Override
    public void close() {
        closeQuietly(lockChannel);
    }

    /**
     * What the cache was written from: the launcher's version, the runtime, the start levels
     * (etc/vigil.bndrun) and each jar of lib/, bundle/ and deploy/ by name, size and modification
     * time (not a digest: reading 10 MB of jars at every start would cost what the cache saves).
     */
    static String stamp(Path home) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("vigil " + Vigil.versionString());
        lines.add("java " + Runtime.version() + " " + System.getProperty("java.home"));
        describe(home, home.resolve("etc").resolve("vigil.bndrun"), lines);
        for (String dir : List.of("lib", "bundle", "deploy")) {
            Path d = home.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            List<Path> jars;
            try (Stream<Path> s = Files.list(d)) {
                jars = s.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            }
            for (Path jar : jars) {
                describe(home, jar, lines);
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static void describe(Path home, Path file, List<String> lines) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            lines.add(home.relativize(file) + " " + a.size() + " " + a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            lines.add(home.relativize(file) + " absent");
        }
    }

    /** What went wrong, in words (a log line, not a stack trace). */
    static String reason(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + (f.getReason() != null ? ": " + f.getReason() : ": not accessible");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String readStamp(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // releasing the lock: nothing to do about it
            }
        }
    }
}
