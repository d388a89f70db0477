package org.vigil.notify.script.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Who a notify script runs as. keepalived, running as root, runs each script as its own user
 * ("notify_master /x.sh user [group]"), else global script_user, else keepalived_script if that
 * user exists, else root. Vigil switches user with util-linux setpriv (no JNI needed); when Vigil
 * itself is not root, scripts run as Vigil's user, as they could not do otherwise.
 */
final class RunAs {

    /** keepalived's default script user when script_user is not set and the user exists. */
    static final String DEFAULT_SCRIPT_USER = "keepalived_script";
    private static final String SETPRIV = "/usr/bin/setpriv";

    private final boolean root;
    private final String globalUser;
    private final Map<String, Optional<String>> primaryGroups = new ConcurrentHashMap<>();

    RunAs(boolean root, String globalUser) {
        this.root = root;
        this.globalUser = globalUser == null || globalUser.isBlank() ? null : globalUser.strip();
    }

    /** Whether Vigil runs as root (and so could run scripts as another user). */
    boolean root() {
        return root;
    }

    static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * The words to put before the script's argv; empty to run as Vigil's own user.
     *
     * @throws IllegalStateException when the configured user does not exist (the script is not run)
     */
    List<String> prefix(String scriptUser) {
        if (!root) {
            return List.of();
        }
        String spec = scriptUser != null ? scriptUser : globalUser;
        if (spec == null) {
            spec = primaryGroup(DEFAULT_SCRIPT_USER).isPresent() ? DEFAULT_SCRIPT_USER : "root";
        }
        String[] words = spec.strip().split("\\s+");
        String user = words[0];
        if ("root".equals(user) && words.length == 1) {
            return List.of();
        }
        String group = words.length > 1 ? words[1] : primaryGroup(user)
                .orElseThrow(() -> new IllegalStateException("script user " + user + " does not exist"));
        List<String> prefix = new ArrayList<>();
        prefix.add(SETPRIV);
        prefix.add("--reuid=" + user);
        prefix.add("--regid=" + group);
        prefix.add("--init-groups");
        prefix.add("--");
        return prefix;
    }

    /** The user's primary group id, from the system's user database (NSS, through id). */
    private Optional<String> primaryGroup(String user) {
        return primaryGroups.computeIfAbsent(user, u -> {
            try {
                Process p = new ProcessBuilder("id", "-g", "--", u).redirectErrorStream(true).start();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        });
    }
}
