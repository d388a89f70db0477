package org.vigil.core.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells when watched files change, through the kernel's inotify (the JDK's WatchService on
 * Linux), so that a track_file is read as soon as it is written, as keepalived reads it. Watches
 * the files' directories, on its own thread ("vigil-track-files"); the caller's periodic reading
 * stays as the safety net (a directory that appears later, a lost event).
 */
final class FileWatch implements AutoCloseable {

    private final WatchService service;
    private final Consumer<Path> changed;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Thread thread;

    /** {@code changed} gets a file that changed, or null when events were lost (read everything). */
    FileWatch(Consumer<Path> changed) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.changed = changed;
        this.thread = new Thread(this::run, "vigil-track-files");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches the directories of exactly these files from now on. */
    synchronized void watch(Set<Path> files) {
        Set<Path> dirs = new HashSet<>();
        for (Path f : files) {
            Path parent = f.toAbsolutePath().getParent();
            if (parent != null) {
                dirs.add(parent);
            }
        }
        keys.entrySet().removeIf(e -> {
            if (!dirs.contains(e.getKey())) {
                e.getValue().cancel();
                return true;
            }
            return false;
        });
        for (Path d : dirs) {
            if (!keys.containsKey(d)) {
                try {
                    keys.put(d, d.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException e) {
                    // a directory that does not exist (yet): the periodic reading sees its file
                }
            }
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        changed.accept(null);
                    } else {
                        changed.accept(dir.resolve((Path) event.context()));
                    }
                }
                key.reset();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // the thread ends either way
        }
    }
}
