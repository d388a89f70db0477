package org.vigil.checker.internal;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What a virtual_server stands for, from its configuration's typed attributes ({@code address}
 * and {@code port}, {@code fwmark} and {@code ip.family}, or {@code group}): the bridge writes
 * them beside the identity key, so nothing reads the key's text.
 */
sealed interface VsService {

    /** {@code virtual_server 192.0.2.249 80}; {@code literal} as the bridge wrote it (IPv6 compressed), for log lines. */
    record Address(InetAddress address, int port, String literal) implements VsService {
        public Address {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(literal, "literal");
        }
    }

    /** {@code virtual_server fwmark 10}, inet or inet6. */
    record Fwmark(long mark, boolean inet6) implements VsService {
    }

    /** {@code virtual_server group NAME}: its addresses and marks come from the group's configuration. */
    record Group(String name) implements VsService {
        public Group {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The service as keepalived logs it: {@code [192.0.2.249]:tcp:80}, {@code FWM 10}, {@code [NAME]:tcp:0}. */
    default String text(String protocol) {
        if (this instanceof Address a) {
            return "[" + a.literal() + "]:" + protocol + ":" + a.port();
        }
        if (this instanceof Fwmark f) {
            return "FWM " + f.mark();
        }
        return "[" + ((Group) this).name() + "]:" + protocol + ":0";
    }

    /** The one address of an address service, else null (ha_suspend never suspends fwmark or group services). */
    default InetAddress address() {
        return this instanceof Address a ? a.address() : null;
    }
}
