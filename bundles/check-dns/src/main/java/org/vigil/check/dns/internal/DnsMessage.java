package org.vigil.check.dns.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The little of RFC 1035 DNS_CHECK needs: a query of one question (recursion desired, class IN)
 * and the header of a reply. Written here rather than embedding a resolver library: a check sends
 * one datagram and reads twelve bytes of the answer.
 */
final class DnsMessage {
    /** keepalived 2.2.7's query types and their codes. */
    static final Map<String, Integer> TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15, "TXT", 16,
            "AAAA", 28, "RRSIG", 46, "DNSKEY", 48);
    static final int HEADER = 12;
    private static final int CLASS_IN = 1;
    private static final int RECURSION_DESIRED = 0x0100;

    private DnsMessage() {
    }

    /** The type's code, or -1 for a type keepalived does not know. */
    static int type(String name) {
        return TYPES.getOrDefault(name.toUpperCase(Locale.ROOT), -1);
    }

    /**
     * The wire form of a name: its labels, each behind its length, ended by the root's empty label.
     * "." and "" are the root; a trailing dot is allowed.
     *
     * @throws IllegalArgumentException for an empty label ("a..b"), a label over 63 bytes or a name over 255
     */
    static byte[] name(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        ByteBuffer b = ByteBuffer.allocate(256);
        if (!n.isEmpty()) {
            for (String label : n.split("\\.", -1)) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                if (l.length == 0) {
                    throw new IllegalArgumentException("DNS_CHECK name '" + name + "' has empty label - ignoring");
                }
                if (l.length > 63) {
                    throw new IllegalArgumentException("DNS_CHECK name '" + name + "' has a label longer than 63 bytes");
                }
                if (b.remaining() < l.length + 2) {
                    throw new IllegalArgumentException("DNS_CHECK name '" + name + "' is longer than 255 bytes");
                }
                b.put((byte) l.length).put(l);
            }
        }
        b.put((byte) 0);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** A query of one question: id, recursion desired, the name, the type, class IN. */
    static byte[] query(int id, byte[] name, int type) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + name.length + 4);
        b.putShort((short) id).putShort((short) RECURSION_DESIRED).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        b.put(name).putShort((short) type).putShort((short) CLASS_IN);
        return b.array();
    }

    /**
     * A reply's header.
     *
     * @param id       the query's id echoed
     * @param response the QR bit
     * @param rcode    the response code (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED)
     * @param answers  ANCOUNT
     */
    record Header(int id, boolean response, int rcode, int answers) {
        /** The header of a datagram, or null when it is shorter than one. */
        static Header of(ByteBuffer datagram) {
            if (datagram.remaining() < HEADER) {
                return null;
            }
            int p = datagram.position();
            int flags = datagram.getShort(p + 2) & 0xffff;
            return new Header(datagram.getShort(p) & 0xffff, (flags & 0x8000) != 0, flags & 0x000f,
                    datagram.getShort(p + 6) & 0xffff);
        }
    }
}
