package org.vigil.checker.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

import org.vigil.api.check.CheckProperties;
import org.vigil.script.RunAs;

/**
 * One real_server (or sorry_server) as the bridge wrote it. Negative times and retry: not set
 * here. {@code inhibitOnFailure} and {@code alpha} null: the virtual server's. {@code notifyUpUser}
 * and {@code notifyDownUser} null: script_user or the default.
 */
record RsSettings(String vsKey, InetSocketAddress address, boolean sorry, int weight, Boolean inhibitOnFailure,
        Boolean alpha, String method, int retry, double delayBeforeRetry, double warmup, double delayLoop, double connectTimeout,
        String notifyUp, String notifyDown, List<Block> checks, String origin, boolean smtpAlert,
        RunAs notifyUpUser, RunAs notifyDownUser) {

    RsSettings {
        Objects.requireNonNull(vsKey, "vsKey");
        Objects.requireNonNull(address, "address");
        checks = List.copyOf(checks);
    }

    /** One check block: its type, every keyword of it as tokens, and where it was written. */
    record Block(String type, CheckProperties properties, String origin) {
        Block(String type, CheckProperties properties) {
            this(type, properties, "");
        }
    }

    static RsSettings of(String vsKey, InetSocketAddress address, int weight, List<Block> checks) {
        return new RsSettings(vsKey, address, false, weight, null, null, "", -1, -1, -1, -1, -1, "", "", checks, "", true, null, null);
    }

    static RsSettings sorry(String vsKey, InetSocketAddress address) {
        return new RsSettings(vsKey, address, true, 1, null, null, "", -1, -1, -1, -1, -1, "", "", List.of(), "", true, null, null);
    }

    RsSettings withChecks(List<Block> blocks) {
        return new RsSettings(vsKey, address, sorry, weight, inhibitOnFailure, alpha, method, retry, delayBeforeRetry,
                warmup, delayLoop, connectTimeout, notifyUp, notifyDown, blocks, origin, smtpAlert, notifyUpUser, notifyDownUser);
    }

    RsSettings withWeight(int w) {
        return new RsSettings(vsKey, address, sorry, w, inhibitOnFailure, alpha, method, retry, delayBeforeRetry, warmup,
                delayLoop, connectTimeout, notifyUp, notifyDown, checks, origin, smtpAlert, notifyUpUser, notifyDownUser);
    }

    /** The identity a reload keeps: virtual server, address, port, and whether it is the sorry server. */
    String identity() {
        return vsKey + "|" + address + "|" + sorry;
    }
}
