package org.vigil.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Boots the appliance: a Felix framework with the resolved bundle set from {@code bundle/}, each
 * at the start level the bndrun gave it, and stops it on SIGTERM/SIGINT. Felix stops bundles by
 * descending start level, so the election core (level 20) stops, and sends its priority-0
 * adverts, while the interface driver (level 10) still runs.
 */
final class FrameworkRunner {
    /** Counted down once the daemon's files are removed; the shutdown hook waits for it. */
    private final java.util.concurrent.CountDownLatch cleanedUp = new java.util.concurrent.CountDownLatch(1);
    /**
     * The highest level of etc/vigil.bndrun: health checking, load balancing and management (30)
     * start after the election core (20), so they do not delay its first advert, and stop before it.
     */
    static final int BEGINNING_START_LEVEL = 30;
    private static final int DEFAULT_START_LEVEL = 10;

    private final Vigil options;
    private final Path home;
    private final KeepalivedLog log;
    /** Null unless -Dvigil.start.timeline=true. */
    private final StartTimeline timeline;
    private BundleCache cache;

    FrameworkRunner(Vigil options) {
        this.options = options;
        this.home = Home.path();
        PrintStream console = options.logConsole ? System.out : null;
        this.log = new KeepalivedLog(console);
        this.timeline = StartTimeline.ifEnabled(log);
    }

    int run() throws Exception {
        if (timeline != null) {
            timeline.mark("launcher main");
        }
        // keepalived 2.2.7's top-level net_namespace, instance and use_pid_dir (read again by the
        // config bundle; they cannot change on a reload, as in keepalived)
        org.vigil.config.DaemonOptions daemon = mayNameDaemonOptions(options.configFile())
                ? org.vigil.config.KeepalivedConfig.parse(options.configFile(), options.configId()).model().daemon()
                : org.vigil.config.DaemonOptions.NONE;
        if (timeline != null) {
            timeline.mark("keepalived.conf scanned for daemon options");
        }
        if (daemon.netNamespace() != null && System.getenv(NetnsEntry.ENTERED) == null) {
            try {
                if (!NetnsEntry.inside(daemon.netNamespace())) {
                    java.util.Optional<Integer> status = NetnsEntry.runInside(daemon.netNamespace(), log);
                    if (status.isPresent()) {
                        return status.get();
                    }
                    log.log("Cannot restart in network namespace " + daemon.netNamespace()
                            + ": this JVM's command line is unknown; start Vigil with 'ip netns exec "
                            + daemon.netNamespace() + "'");
                    return 3;
                }
            } catch (IOException e) {
                log.log("net_namespace " + daemon.netNamespace() + ": " + e.getMessage());
                return 3;
            }
        }
        Path runtimeDir = Files.createTempDirectory("vigil-" + ProcessHandle.current().pid() + "-");
        Path defaultPid = Home.defaultPidFile(home);
        Path pidFile = options.pidFile != null ? options.pidFile
                : daemon.pidFile(defaultPid.getParent(), defaultPid.getParent().resolve("vigil"), "vigil");
        Path controlSocket = Home.controlSocket(pidFile).toAbsolutePath();
        Framework framework = null;
        try {
            writePidFile(pidFile);
            Path config = options.configFile().toAbsolutePath();
            log.log("Starting Vigil v" + Vigil.versionString());
            log.log("Running on " + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java " + Runtime.version());
            if (!Files.isReadable(config)) {
                log.log("Configuration file " + config + " is not readable");
            }
            System.setProperty("logback.configurationFile",
                    home.resolve("etc").resolve(options.logConsole ? "logback-console.xml" : "logback.xml").toString());
            System.setProperty("vigil.home", home.toString());
            // Infrastructure bundles that log through java.util.logging (SPI Fly) speak only when it matters.
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
            Path configDir = runtimeDir.resolve("etc");
            Files.createDirectories(configDir);
            writeSimulatedLanConfig(configDir);

            Map<String, String> properties = frameworkProperties(runtimeDir, configDir, config);
            properties.put("vigil.ctl.socket", controlSocket.toString());
            if (timeline != null) {
                timeline.mark("launcher ready");
            }
            cache = BundleCache.open(Home.stateDirectory(home), Home.stateDirectoryExplicit(), runtimeDir, BundleCache.stamp(home), log);
            framework = boot(properties, runtimeDir);
            if (timeline != null) {
                timeline.mark(cache.warm() ? "bundles from the cache" : "bundles installed");
            }
            Framework running = framework;
            // SIGTERM: the JVM halts as soon as the hooks return, so the hook waits for the main
            // thread to remove the pid file, the control socket and the runtime folder below
            Thread hook = new Thread(() -> {
                stop(running);
                try {
                    cleanedUp.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "vigil-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            framework.start();
            HangupReload.install(controlSocket, log);
            FrameworkEvent end = framework.waitForStop(0);
            log.log("Stopped Vigil v" + Vigil.versionString());
            return end.getType() == FrameworkEvent.ERROR ? 1 : 0;
        } finally {
            try {
                if (cache != null) {
                    cache.close();
                }
                Files.deleteIfExists(pidFile);
                Files.deleteIfExists(controlSocket);
                deleteTree(runtimeDir);
            } finally {
                cleanedUp.countDown();
            }
        }
    }

    /** A word that can set or hide a daemon option: the options themselves, include, a definition or a repeat. */
    private static final java.util.regex.Pattern DAEMON_WORDS = java.util.regex.Pattern.compile(
            "\\b(net_namespace|instance|use_pid_dir|include)\\b|[$~]");

    /**
     * Whether the configuration may name net_namespace, instance or use_pid_dir, which the launcher
     * needs before the framework (the pid file's path, the namespace to start in). Most files do not:
     * their text has none of the three words (vrrp_instance is another word), no include, no
     * $definition and no ~SEQ/~LST, and the launcher
     * then skips its own parse of the whole file (the configuration bundle parses it anyway), 0.03-0.04 s
     * of a start. An unreadable file is parsed, so that the parse says why.
     */
    static boolean mayNameDaemonOptions(Path file) {
        try {
            return DAEMON_WORDS.matcher(Files.readString(file, StandardCharsets.UTF_8)).find();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private Map<String, String> frameworkProperties(Path runtimeDir, Path configDir, Path config) {
        Map<String, String> p = new HashMap<>();
        // ConfigAdmin keeps nothing between runs, even with the bundle cache kept: the instances
        // are keepalived.conf's (and deploy/'s) of this start, never the previous run's
        p.put("felix.cm.dir", runtimeDir.resolve("cm").toString());
        // SCR keeps the parsed component descriptors in its data area when it stops: with the bundle
        // cache kept, a warm start reads them instead of parsing every bundle's OSGI-INF XML again (an
        // upgrade makes a clean cache, so they never outlive the bundles they describe);
        // -Dds.cache.metadata=false (VIGIL_EXTRA_JAVA_OPTS) turns it off
        p.put("ds.cache.metadata", System.getProperty("ds.cache.metadata", "true"));
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(BEGINNING_START_LEVEL));
        p.put("vigil.config.file", config.toString());
        if (options.configId != null) {
            p.put("vigil.config.id", options.configId);
        }
        p.put("vigil.log.detail", Boolean.toString(options.logDetail));
        p.put("vigil.home", home.toString());
        // FileInstall: hot deploy from deploy/, plus this run's generated configurations (only the
        // simulated LAN's: FileInstall watches each folder with a thread of its own)
        p.put("felix.fileinstall.dir", home.resolve("deploy") + (options.simLanPort != null ? "," + configDir : ""));
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.poll", "1000");
        // only what FileInstall can install: any other file (deploy/README) is retried on every
        // scan, opened as a jar and thrown away, a steady trickle of garbage for the collector
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("felix.fileinstall.log.level", "2");
        p.put("gosh.args", options.console ? "" : "--nointeractive");
        if (options.simLanPort != null) {
            // on the simulated LAN even where the Linux driver (which outranks it) could run
            p.put("vigil.driver", "sim");
        }
        return p;
    }

    /** Vigil extension: the simulated LAN is configured like any component, through FileInstall. */
    private void writeSimulatedLanConfig(Path configDir) throws IOException {
        if (options.simLanPort == null) {
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append("lan.port=I\"").append(options.simLanPort).append("\"\n");
        b.append("node=\"").append(escape(options.simNode != null ? options.simNode : "vigil")).append("\"\n");
        b.append("delay.ms=I\"").append(options.simDelayMs).append("\"\n");
        b.append("loss.percent=I\"").append(options.simLossPercent).append("\"\n");
        b.append("interfaces=[");
        for (int i = 0; i < options.simInterfaces.size(); i++) {
            b.append(i > 0 ? "," : "").append('"').append(escape(options.simInterfaces.get(i))).append('"');
        }
        b.append("]\n");
        Files.writeString(configDir.resolve("org.vigil.driver.sim.config"), b, StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * An initialised framework holding the bundles of bundle/: from the kept cache when its stamp
     * matches this installation, else installed afresh into a clean cache. A warm start that fails
     * (a corrupt or unreadable cache, a bundle missing from it) becomes a clean one, with one line
     * saying why; a kept cache that cannot be written becomes this run's temporary one.
     */
    private Framework boot(Map<String, String> properties, Path runtimeDir) throws Exception {
        if (cache.warm()) {
            Framework warm = null;
            String problem;
            ReloadLogger quiet = new ReloadLogger();
            quiet.reloading(true);
            try {
                warm = init(properties, quiet);
                problem = reloaded(warm);
                if (problem == null) {
                    quiet.reloading(false);
                    log.log("Bundles from the kept cache " + cache.storage());
                    return warm;
                }
            } catch (Exception | LinkageError e) {
                problem = "cannot be read (" + (e instanceof Exception x ? BundleCache.reason(x) : e.toString()) + ")";
            }
            if (quiet.firstError() != null) {
                problem += "; Felix: " + quiet.firstError();
            }
            stopQuietly(warm);
            log.log("Bundle cache " + cache.storage() + " " + problem + ": installing bundle/ into a clean cache");
            try {
                cache.discard();
            } catch (IOException e) {
                // the stamp cannot even be removed: this run's temporary cache, the kept one left alone
                cache = cache.temporary(runtimeDir);
            }
        }
        Framework clean = null;
        try {
            cache.beginClean();
            clean = init(properties, null);
            installBundles(clean);
        } catch (IOException | BundleException | RuntimeException e) {
            if (!cache.kept()) {
                throw e;
            }
            stopQuietly(clean);
            log.log("Bundle cache " + cache.storage() + " cannot be written (" + BundleCache.reason(e)
                    + "): bundles are installed into a temporary cache");
            cache = cache.temporary(runtimeDir);
            clean = init(properties, null);
            installBundles(clean);
        }
        if (cache.kept()) {
            cache.installed();
            log.log("Bundles installed from bundle/ into the cache " + cache.storage() + ", kept for the next start");
        }
        return clean;
    }

    /** A framework on this start's cache, initialised; {@code logger}: Felix's log instead of its default. */
    private Framework init(Map<String, String> properties, ReloadLogger logger) throws BundleException {
        cache.configure(properties);
        Map<String, Object> configuration = new HashMap<>(properties);
        if (logger != null) {
            configuration.put("felix.log.logger", logger);
        }
        Framework framework = new FrameworkFactory().newFramework(configuration);
        framework.init();
        if (timeline != null) {
            timeline.mark("Felix init");
            timeline.listen(framework.getBundleContext());
        }
        ConfigAdminLogHiding.install(framework.getBundleContext());
        return framework;
    }

    /**
     * Null when the framework reloaded from the cache holds exactly bundle/ (plus what FileInstall
     * installed from deploy/, which the stamp covers too), else what is wrong. Start levels and the
     * started state are set again as a clean start sets them, so that a bundle stopped or moved
     * through the console in the previous run starts as the bndrun says.
     */
    private String reloaded(Framework framework) throws IOException, BundleException {
        Path bundleDir = home.resolve("bundle");
        Map<String, Path> expected = new HashMap<>();
        try (Stream<Path> s = Files.list(bundleDir)) {
            s.filter(f -> f.toString().endsWith(".jar")).forEach(f -> expected.put(f.toUri().toString(), f));
        }
        String deploy = home.resolve("deploy").toString();
        Map<String, Bundle> byLocation = new HashMap<>();
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (b.getBundleId() == 0) {
                continue;
            }
            if (!expected.containsKey(b.getLocation()) && !b.getLocation().contains(deploy)) {
                return "holds " + b.getLocation() + ", which is in neither bundle/ nor deploy/";
            }
            byLocation.put(b.getLocation(), b);
        }
        RunBundles levels = RunBundles.read(home.resolve("etc").resolve("vigil.bndrun"));
        List<Bundle> toStart = new ArrayList<>();
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            Bundle b = byLocation.get(e.getKey());
            if (b == null || b.getSymbolicName() == null) {
                return "has no " + e.getValue().getFileName();
            }
            b.adapt(BundleStartLevel.class).setStartLevel(levels.startLevel(b.getSymbolicName()).orElse(DEFAULT_START_LEVEL));
            toStart.add(b);
        }
        for (Bundle b : toStart) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        return null;
    }

    private static void stopQuietly(Framework framework) {
        if (framework == null) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void installBundles(Framework framework) throws IOException, BundleException {
        Path bundleDir = home.resolve("bundle");
        RunBundles levels = RunBundles.read(home.resolve("etc").resolve("vigil.bndrun"));
        List<Path> jars;
        try (Stream<Path> s = Files.list(bundleDir)) {
            jars = s.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
        record Candidate(Path jar, int level) {
        }
        List<Candidate> ordered = new ArrayList<>();
        for (Path jar : jars) {
            String bsn = symbolicName(jar);
            ordered.add(new Candidate(jar, levels.startLevel(bsn).orElse(DEFAULT_START_LEVEL)));
        }
        ordered.sort(Comparator.comparingInt(Candidate::level).thenComparing(c -> c.jar().getFileName().toString()));
        List<Bundle> installed = new ArrayList<>();
        for (Candidate c : ordered) {
            Bundle b = framework.getBundleContext().installBundle(c.jar().toUri().toString());
            b.adapt(BundleStartLevel.class).setStartLevel(c.level());
            installed.add(b);
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    static String symbolicName(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            String bsn = jf.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return bsn == null ? jar.getFileName().toString() : bsn.split(";")[0].trim();
        }
    }

    private void stop(Framework framework) {
        try {
            if (framework.getState() == Bundle.ACTIVE || framework.getState() == Bundle.STARTING) {
                framework.stop();
                framework.waitForStop(15_000);
            }
        } catch (BundleException | InterruptedException e) {
            log.log("Stopping the framework failed: " + e);
        }
    }

    private static void writePidFile(Path pidFile) throws IOException {
        Path parent = pidFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temp dir is harmless
        }
    }
}
