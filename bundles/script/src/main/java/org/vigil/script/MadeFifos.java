package org.vigil.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The FIFOs one component made, so that it removes them again when it is done with them, as
 * keepalived does: a FIFO keepalived creates is unlinked when it stops, one it found is left where
 * it was (checked with Debian's keepalived 2.2.7). Thread-safe: writers create on their own
 * threads while the component's configuration thread retires paths.
 */
public final class MadeFifos {

    private final Set<Path> made = ConcurrentHashMap.newKeySet();

    /**
     * Creates the FIFO as {@link FifoScript#createFifo(Path, RunAs, ScriptSecurity.Host, Consumer)}
     * does, and remembers it when this call made it.
     *
     * @throws IOException when it is not there and cannot be made
     */
    public void ensure(Path path, RunAs owner, ScriptSecurity.Host host, Consumer<String> log) throws IOException {
        if (FifoScript.create(path, owner, host, log)) {
            made.add(path);
        }
    }

    /** Whether {@code path} is a FIFO made here and not removed yet. */
    public boolean made(Path path) {
        return made.contains(path);
    }

    /** Removes the FIFOs made here that are not in {@code stillUsed} (a reload that dropped or moved them). */
    public void retain(Collection<Path> stillUsed, Consumer<String> log) {
        for (Path p : Set.copyOf(made)) {
            if (!stillUsed.contains(p)) {
                remove(p, log);
            }
        }
    }

    /** Removes every FIFO made here (the component stops). */
    public void removeAll(Consumer<String> log) {
        retain(Set.of(), log);
    }

    private void remove(Path path, Consumer<String> log) {
        made.remove(path);
        try {
            // only what is still a FIFO: a file or directory someone put there since is theirs
            if (Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                Files.deleteIfExists(path);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            log.accept("Cannot remove FIFO " + path + ": " + e.getMessage());
        }
    }
}
