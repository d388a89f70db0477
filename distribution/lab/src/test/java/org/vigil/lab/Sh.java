package org.vigil.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short host commands (ip, tshark, kill) and returns their output. */
final class Sh {
    private Sh() {
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            // read both streams on the side so a chatty command cannot block on a full pipe
            var out = new java.util.concurrent.CompletableFuture<String>();
            var err = new java.util.concurrent.CompletableFuture<String>();
            new Thread(() -> out.complete(readAll(p.getInputStream()))).start();
            new Thread(() -> err.complete(readAll(p.getErrorStream()))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("still running after 60 s: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e, e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs the command and fails with its stderr unless it exits 0. */
    static String ok(String... cmd) {
        Result r = run(List.of(cmd));
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.err().strip());
        }
        return r.out();
    }

    /** Runs the command and ignores a failure (teardown of what may already be gone). */
    static Result quiet(String... cmd) {
        try {
            return run(List.of(cmd));
        } catch (IllegalStateException e) {
            return new Result(-1, "", e.getMessage());
        }
    }

    static List<String> args(String first, String... rest) {
        List<String> l = new ArrayList<>();
        l.add(first);
        l.addAll(List.of(rest));
        return l;
    }
}
