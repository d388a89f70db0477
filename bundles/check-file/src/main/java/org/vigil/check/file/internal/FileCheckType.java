package org.vigil.check.file.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.CheckTypeName;
import org.vigil.api.check.HealthCheck;

/**
 * keepalived's FILE_CHECK: a number read from a file decides the real server. With weight 0 a
 * value of 0 is up and any other value down; otherwise the value times the weight (negated with
 * {@code reverse}) is what keepalived adds to the real server's weight, down only at or below
 * -2147483648.
 *
 * <p>keepalived names a top-level {@code track_file NAME { file PATH weight W }} block from the
 * check; the keepalived.conf bridge does not pass top-level track_file blocks, so Vigil takes the
 * path in the check block itself ({@code file PATH}, beside {@code track_file NAME}). Files are
 * read on one thread of this bundle at each attempt (keepalived reacts to inotify at once; here a
 * change is seen at the next attempt, delay_loop apart).
 */
@Component(service = CheckType.class)
@CheckTypeName(type = FileCheckType.TYPE)
public final class FileCheckType implements CheckType {
    static final String TYPE = "FILE_CHECK";
    static final long MAX_WEIGHT = Integer.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(FileCheckType.class);

    /** Reads files off the checker's workers, so a slow file system holds up only FILE_CHECKs. */
    private final ExecutorService reader;
    private final AtomicBoolean dynamicLogged = new AtomicBoolean();

    @Activate
    public FileCheckType() {
        reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vigil-check-file");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    public void deactivate() {
        reader.shutdownNow();
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        CheckProperties p = spec.properties();
        String name = p.get("track.file").orElse("").trim();
        String file = p.get("file").orElse("").trim();
        if (name.isEmpty() && file.isEmpty()) {
            throw new IllegalArgumentException("FILE_CHECK has no track_file specified - ignoring");
        }
        if (file.isEmpty()) {
            // keepalived's line for a name with no track_file block; Vigil's reason after it
            throw new IllegalArgumentException("track_file " + name + " not found (Vigil does not read top-level"
                    + " track_file blocks yet: give the path in the FILE_CHECK block, file PATH)");
        }
        long weight = weight(p.tokens("weight").orElse(null));
        if (p.tokens("dynamic").isPresent() && dynamicLogged.compareAndSet(false, true)) {
            LOG.warn("FILE_CHECK dynamic is not supported yet (the checker does not tell a check its real server's"
                    + " configured weight): the file's value decides up or down only");
        }
        return new FileCheck(spec, name.isEmpty() ? file : name, Path.of(file), weight, reader);
    }

    /** {@code weight W [reverse|noreverse]}; keepalived's lines for what it ignores, default 1. */
    static long weight(List<String> tokens) {
        if (tokens == null) {
            return 1;
        }
        if (tokens.isEmpty()) {
            LOG.warn("track file weight missing");
            return 1;
        }
        long w;
        try {
            w = Long.parseLong(tokens.get(0));
        } catch (NumberFormatException e) {
            w = Long.MAX_VALUE;
        }
        if (w < -MAX_WEIGHT || w > MAX_WEIGHT) {
            LOG.warn("weight for track file must be in [{}..{}] inclusive. Ignoring...", -MAX_WEIGHT, MAX_WEIGHT);
            return 1;
        }
        if (tokens.size() > 1) {
            switch (tokens.get(1).toLowerCase(Locale.ROOT)) {
                case "reverse" -> w = -w;
                case "noreverse" -> { }
                default -> LOG.warn("unknown track file weight option {} - ignoring", tokens.get(1));
            }
        }
        return w;
    }
}
