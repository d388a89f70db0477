package org.vigil.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * keepalived's FIFO scripts (notify_fifo_script, vrrp_notify_fifo_script, lvs_notify_fifo_script):
 * the FIFO is created if missing (mode 0600, as keepalived creates it), then the script is
 * started with the FIFO's path as its last argument and runs until it is killed (no timeout: it
 * reads the FIFO for as long as the daemon writes it). Every bundle that writes a FIFO creates
 * it here and starts its reader here, on a {@link ScriptRunner} of its own, since a reader holds
 * its runner slot for as long as it runs.
 */
public final class FifoScript {

    /** A FIFO script runs until it is killed: in effect no timeout. */
    public static final Duration LIFETIME = Duration.ofDays(365 * 100L);

    private FifoScript() {
    }

    /**
     * Creates the FIFO at {@code path} (mode 0600) unless something exists there already; another
     * writer creating it at the same moment is not an error.
     *
     * @throws IOException when it is not there and cannot be made
     */
    public static void createFifo(Path path) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "600", "--", path.toString()).redirectErrorStream(true)
                    .start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("mkfifo " + path + " did not end");
            }
            if (p.exitValue() != 0 && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("mkfifo " + path + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted creating " + path, e);
        }
    }

    /**
     * Creates the FIFO if missing and starts its reader on {@code runner}, with the FIFO's path
     * appended to the argument vector that {@code argv} returns. {@code argv} is called on the
     * runner's thread (it is where {@link ScriptSecurity#decide} belongs) and returns null to not
     * run the script (refused). Returns at once; {@link ScriptRun#kill()} ends the reader.
     *
     * @throws IOException when the FIFO cannot be created (the script is not started)
     */
    public static ScriptRun start(ScriptRunner runner, Path fifo, Supplier<List<String>> argv) throws IOException {
        createFifo(fifo);
        String name = fifo.toString();
        return runner.run(() -> {
            List<String> a = argv.get();
            if (a == null || a.isEmpty()) {
                return null;
            }
            List<String> withFifo = new ArrayList<>(a);
            withFifo.add(name);
            return withFifo;
        }, LIFETIME);
    }
}
