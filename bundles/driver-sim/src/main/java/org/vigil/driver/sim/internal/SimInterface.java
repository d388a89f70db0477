package org.vigil.driver.sim.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.vigil.api.driver.LinkInfo;

/**
 * One configured interface of a simulated router, parsed from an {@code interfaces} entry such as
 * {@code "lan0 192.0.2.11/24 fe80::11 02:00:00:00:00:11"}: the name first, then in any order an
 * IPv4 address with optional prefix, an IPv6 (link-local) address and a MAC. Each of the three is
 * optional; a missing MAC is derived from the node and interface names so that it stays the same
 * across restarts.
 *
 * @param index the interface index: position in the configuration plus 2, as if 1 were loopback
 */
record SimInterface(String name, int index, InetAddress ipv4, int ipv4Prefix, InetAddress ipv6, byte[] mac) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?");
    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");
    private static final Pattern IPV6 = Pattern.compile("[\\p{XDigit}:.]*:[\\p{XDigit}:.]*");

    SimInterface {
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    static SimInterface parse(String entry, String node, int position) {
        String[] words = entry.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new IllegalArgumentException("empty interfaces entry");
        }
        String name = words[0];
        InetAddress ipv4 = null;
        int prefix = 32;
        InetAddress ipv6 = null;
        byte[] mac = null;
        for (int i = 1; i < words.length; i++) {
            String w = words[i];
            // MAC before IPv6: both contain colons, and a MAC is never a valid IPv6 literal
            if (MAC.matcher(w).matches() && mac == null) {
                mac = HexFormat.ofDelimiter(":").parseHex(w.toLowerCase());
            } else if (IPV4.matcher(w).matches() && ipv4 == null) {
                int slash = w.indexOf('/');
                String address = slash < 0 ? w : w.substring(0, slash);
                for (String octet : address.split("\\.")) {
                    // An octet over 255 would make getByName take the text for a host name and ask DNS
                    if (Integer.parseInt(octet) > 255) {
                        throw new IllegalArgumentException("bad IPv4 address '" + address + "' in interfaces entry '"
                                + entry + "'");
                    }
                }
                ipv4 = literal(address, entry, Inet4Address.class);
                if (slash >= 0) {
                    prefix = Integer.parseInt(w.substring(slash + 1));
                    if (prefix > 32) {
                        throw new IllegalArgumentException("bad IPv4 prefix in interfaces entry '" + entry + "'");
                    }
                }
            } else if (IPV6.matcher(w).matches() && ipv6 == null) {
                ipv6 = literal(w, entry, Inet6Address.class);
            } else {
                throw new IllegalArgumentException("cannot read '" + w + "' in interfaces entry '" + entry
                        + "' (expected: name [IPv4[/prefix]] [IPv6 link-local] [MAC], each at most once)");
            }
        }
        return new SimInterface(name, position + 2, ipv4, prefix, ipv6, mac != null ? mac : derivedMac(node, name));
    }

    /** Locally administered, unicast (02:...), stable for a node and interface name. */
    static byte[] derivedMac(String node, String interfaceName) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((node + "/" + interfaceName).getBytes(StandardCharsets.UTF_8));
            byte[] mac = new byte[6];
            mac[0] = 0x02;
            System.arraycopy(hash, 0, mac, 1, 5);
            return mac;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
        }
    }

    /** Parses an address literal: the patterns above keep getByName from ever asking DNS. */
    private static InetAddress literal(String text, String entry, Class<? extends InetAddress> family) {
        try {
            InetAddress address = InetAddress.getByName(text);
            if (!family.isInstance(address)) {
                throw new IllegalArgumentException("'" + text + "' in interfaces entry '" + entry
                        + "' is not an " + (family == Inet4Address.class ? "IPv4" : "IPv6") + " address");
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address '" + text + "' in interfaces entry '" + entry + "'", e);
        }
    }

    boolean owns(InetAddress address) {
        return address.equals(ipv4) || address.equals(ipv6);
    }

    LinkInfo linkInfo(boolean up) {
        return new LinkInfo(name, index, mac, ipv4, ipv6, up);
    }

    @Override
    public String toString() {
        return name + (ipv4 != null ? " " + ipv4.getHostAddress() + "/" + ipv4Prefix : "")
                + (ipv6 != null ? " " + ipv6.getHostAddress() : "") + " " + HexFormat.ofDelimiter(":").formatHex(mac);
    }
}
