package org.vigil.check.dns.internal;

import java.util.List;
import java.util.function.Consumer;

import org.vigil.api.check.CheckSpec;

/**
 * A DNS_CHECK block read once. As keepalived 2.2.7 does, an unknown type or a name with an empty
 * label is reported and ignored (the default stays), not fatal.
 *
 * @param typeName the query type as configured, upper case
 * @param type     its code
 * @param name     the name queried, as configured
 * @param wireName its wire form
 */
record DnsSettings(String typeName, int type, String name, byte[] wireName) {
    static final String DEFAULT_TYPE = "SOA";
    static final String DEFAULT_NAME = ".";

    static DnsSettings parse(CheckSpec spec, Consumer<String> warnings) {
        String typeName = DEFAULT_TYPE;
        String configured = spec.properties().get("type").orElse(null);
        if (configured != null) {
            if (DnsMessage.type(configured) < 0) {
                warnings.accept("Unknown DNS check type " + (configured.isEmpty() ? "[blank]" : configured) + " - ignoring");
            } else {
                typeName = configured.toUpperCase(java.util.Locale.ROOT);
            }
        }
        String name = DEFAULT_NAME;
        byte[] wire = DnsMessage.name(DEFAULT_NAME);
        List<String> names = spec.properties().tokens("name").orElse(List.of());
        if (!names.isEmpty()) {
            try {
                wire = DnsMessage.name(names.get(0));
                name = names.get(0);
            } catch (IllegalArgumentException e) {
                warnings.accept(e.getMessage());
            }
        }
        return new DnsSettings(typeName, DnsMessage.type(typeName), name, wire);
    }
}
