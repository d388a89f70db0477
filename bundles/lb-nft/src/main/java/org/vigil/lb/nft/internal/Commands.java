package org.vigil.lb.nft.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a program (nft, conntrack) as a child process: libnftables and libnftnl are GPLv2 and
 * Vigil is Apache-2.0, so nothing of them is linked into the JVM. A program is its whole argv
 * (a test puts {@code ip netns exec NS} in front).
 */
interface Commands {

    /** What a program printed (stdout and stderr together) and how it exited. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code argv} with {@code stdin} (may be empty); fails only when it cannot run or hangs. */
    Result run(List<String> argv, String stdin) throws IOException;

    /** The real thing: ProcessBuilder, bounded by {@code timeoutMillis}. */
    static Commands processes(long timeoutMillis) {
        return (argv, stdin) -> {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            // read while writing: a program that answers before reading all its input must not stall us
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            }, r -> {
                Thread t = new Thread(r, "vigil-lb-nft-output");
                t.setDaemon(true);
                t.start();
            });
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the program exited before reading everything: its output says why
            }
            try {
                if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(argv + " did not finish in " + timeoutMillis + " ms");
                }
                return new Result(p.exitValue(),
                        new String(out.get(timeoutMillis, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8).trim());
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(argv + " interrupted", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(argv + ": its output could not be read", e);
            }
        };
    }
}
