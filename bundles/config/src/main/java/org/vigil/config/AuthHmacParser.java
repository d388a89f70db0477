package org.vigil.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.vigil.api.auth.HmacMode;
import org.vigil.api.auth.HmacSettings;

/**
 * A vrrp_instance's {@code auth_hmac} block as keepalived 2.4.1 reads it: {@code key <id> <value>}
 * (value {@code hex:...}, {@code file:<path>} holding either form, or the ASCII key itself),
 * {@code active_key}, {@code anti_replay time|monotonic}, {@code time_window}, {@code mode
 * enforce|permissive|receive-only}. Any mistake is an error: an instance must never run
 * unauthenticated because its key was mistyped. No message quotes a key.
 */
final class AuthHmacParser {

    /** The block as written; resolved once the advert interval (the window's default) is known. */
    static final class Block {
        final Map<Integer, byte[]> keys = new TreeMap<>();
        Integer activeKey;
        boolean monotonic;
        Integer timeWindow;
        HmacMode mode = HmacMode.ENFORCE;
        final Origin origin;
        boolean broken;

        Block(Origin origin) {
            this.origin = origin;
        }

        /** The settings, or null (with an error) when the block cannot sign or verify. */
        HmacSettings resolve(int advertIntervalCs, String ctx, List<Diagnostic> diagnostics) {
            if (broken) {
                return null;
            }
            if (keys.isEmpty()) {
                diagnostics.add(Diagnostic.error(origin, ctx + "auth_hmac has no key"));
                return null;
            }
            Integer active = activeKey;
            if (active == null) {
                diagnostics.add(Diagnostic.error(origin, ctx + "auth_hmac needs active_key (the key id that signs)"));
                return null;
            }
            if (!keys.containsKey(active)) {
                diagnostics.add(Diagnostic.error(origin, ctx + "auth_hmac active_key " + active
                        + " is not a configured key"));
                return null;
            }
            int window = timeWindow != null ? timeWindow : HmacSettings.defaultTimeWindow(advertIntervalCs);
            return new HmacSettings(keys, active, !monotonic, window, mode);
        }
    }

    private AuthHmacParser() {
    }

    static void parse(ConfigNode node, VrrpInstance vi, String ctx, List<Diagnostic> diagnostics) {
        Block b = new Block(node.origin());
        vi.authHmacBlock = b;
        if (!node.hasBlock()) {
            fail(b, diagnostics, node, ctx + "auth_hmac needs a block { ... }");
            return;
        }
        for (ConfigNode n : node.children()) {
            List<String> a = n.args();
            switch (n.keyword()) {
                case "key" -> {
                    if (a.size() != 2) {
                        fail(b, diagnostics, n, ctx + "auth_hmac key needs an id and a value");
                        break;
                    }
                    Integer id = ModelBuilder.parseInt(a.get(0));
                    if (id == null || id < 1 || id > 255) {
                        fail(b, diagnostics, n, ctx + "auth_hmac key id '" + a.get(0) + "' is not 1-255");
                        break;
                    }
                    byte[] key = keyBytes(a.get(1), n, ctx, b, diagnostics);
                    if (key == null) {
                        break;
                    }
                    if (key.length < HmacSettings.MIN_KEY_LENGTH || key.length > HmacSettings.MAX_KEY_LENGTH) {
                        fail(b, diagnostics, n, ctx + "auth_hmac key " + id + " is " + key.length + " bytes; it must be "
                                + HmacSettings.MIN_KEY_LENGTH + " to " + HmacSettings.MAX_KEY_LENGTH);
                    } else if (b.keys.putIfAbsent(id, key) != null) {
                        fail(b, diagnostics, n, ctx + "auth_hmac key " + id + " is defined twice");
                    }
                }
                case "active_key" -> {
                    Integer id = a.size() == 1 ? ModelBuilder.parseInt(a.get(0)) : null;
                    if (id == null || id < 1 || id > 255) {
                        fail(b, diagnostics, n, ctx + "auth_hmac active_key needs a key id 1-255");
                    } else {
                        b.activeKey = id;
                    }
                }
                case "anti_replay" -> {
                    String v = a.size() == 1 ? a.get(0) : "";
                    switch (v) {
                        case "time" -> b.monotonic = false;
                        case "monotonic" -> b.monotonic = true;
                        default -> fail(b, diagnostics, n, ctx + "auth_hmac anti_replay must be time or monotonic");
                    }
                }
                case "time_window" -> {
                    Integer w = a.size() == 1 ? ModelBuilder.parseInt(a.get(0)) : null;
                    if (w == null || w < HmacSettings.MIN_TIME_WINDOW || w > HmacSettings.MAX_TIME_WINDOW) {
                        fail(b, diagnostics, n, ctx + "auth_hmac time_window must be " + HmacSettings.MIN_TIME_WINDOW
                                + " to " + HmacSettings.MAX_TIME_WINDOW + " seconds");
                    } else {
                        b.timeWindow = w;
                    }
                }
                case "mode" -> {
                    HmacMode m = null;
                    for (HmacMode candidate : HmacMode.values()) {
                        if (a.size() == 1 && candidate.keyword().equals(a.get(0))) {
                            m = candidate;
                        }
                    }
                    if (m == null) {
                        fail(b, diagnostics, n, ctx + "auth_hmac mode must be enforce, permissive or receive-only");
                    } else {
                        b.mode = m;
                    }
                }
                default -> diagnostics.add(Diagnostic.corrected(n.origin(), "Unknown keyword '" + n.keyword() + "'"));
            }
        }
        if (b.timeWindow != null && b.monotonic) {
            diagnostics.add(Diagnostic.warning(node.origin(), ctx + "auth_hmac time_window is ignored with anti_replay monotonic"));
        }
    }

    private static byte[] keyBytes(String value, ConfigNode n, String ctx, Block b, List<Diagnostic> diagnostics) {
        if (value.startsWith("file:")) {
            Path file = Path.of(value.substring("file:".length()));
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                    diagnostics.add(Diagnostic.warning(n.origin(), ctx + "auth_hmac key file " + file
                            + " is readable by group or others; make it 0600"));
                }
                String content = Files.readString(file, StandardCharsets.UTF_8).strip();
                return inline(content, n, ctx, b, diagnostics);
            } catch (IOException | UnsupportedOperationException e) {
                fail(b, diagnostics, n, ctx + "auth_hmac key file " + file + " cannot be read: " + e.getClass().getSimpleName());
                return null;
            }
        }
        return inline(value, n, ctx, b, diagnostics);
    }

    private static byte[] inline(String value, ConfigNode n, String ctx, Block b, List<Diagnostic> diagnostics) {
        if (value.startsWith("hex:")) {
            String hex = value.substring("hex:".length());
            try {
                return HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                // the message would quote the key: say only what is wrong
                fail(b, diagnostics, n, ctx + "auth_hmac key is not valid hex (" + hex.length() + " characters)");
                return null;
            }
        }
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    private static void fail(Block b, List<Diagnostic> diagnostics, ConfigNode n, String message) {
        b.broken = true;
        diagnostics.add(Diagnostic.error(n.origin(), message));
    }
}
