package org.vigil.check.file.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/** One prepared FILE_CHECK. keepalived logs no per-attempt line for it: these are Vigil's. */
final class FileCheck implements HealthCheck {
    /** A tracked file is a number in text; more than this is not one. */
    static final int MAX_BYTES = 4096;
    /** keepalived: a real server whose weight plus value times weight falls to this is down. */
    static final long FAULT = Integer.MIN_VALUE;

    private final Path file;
    private final long weight;
    private final Executor reader;
    /** "File check of [rs] by track_file NAME (PATH)". */
    private final String prefix;

    FileCheck(CheckSpec spec, String name, Path file, long weight, Executor reader) {
        this.file = file;
        this.weight = weight;
        this.reader = reader;
        this.prefix = "File check of " + spec.realServerText() + " by track_file " + name + " (" + file + ")";
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        try {
            return CompletableFuture.supplyAsync(this::read, reader);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(CheckResult.failure(prefix + " failed: FILE_CHECK is stopping."));
        }
    }

    private CheckResult read() {
        String text;
        try {
            byte[] bytes;
            try (var in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES);
            }
            text = new String(bytes, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return CheckResult.failure(prefix + " failed: No such file or directory.");
        } catch (IOException e) {
            return CheckResult.failure(prefix + " failed: " + e.getMessage() + ".");
        }
        long value = value(text);
        return verdict(value);
    }

    CheckResult verdict(long value) {
        boolean up;
        if (weight == 0) {
            up = value == 0;
        } else {
            long product;
            try {
                product = Math.multiplyExact(value, weight);
            } catch (ArithmeticException e) {
                product = (value < 0) == (weight < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
            }
            up = product > FAULT;
        }
        return up ? CheckResult.success(prefix + " succeeded (value " + value + ").")
                : CheckResult.failure(prefix + " failed (value " + value + ").");
    }

    /**
     * The number at the start of the text, as C's strtol reads it: leading white space, a sign,
     * decimal digits; no number is 0. Values are clamped to keepalived's range, +-2147483648.
     */
    static long value(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        long v = 0;
        long limit = 1L << 31;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            v = Math.min(limit, v * 10 + (text.charAt(i) - '0'));
            i++;
        }
        return negative ? -v : v;
    }
}
