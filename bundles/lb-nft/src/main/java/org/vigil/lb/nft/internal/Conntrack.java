package org.vigil.lb.nft.internal;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;

import org.vigil.api.lb.Destination;
import org.vigil.api.lb.ServiceKey;

/**
 * The conntrack-tools command that deletes the connections a virtual service had translated to
 * one real server: without it a client of a dead server keeps its translation and hangs until
 * TCP gives up. Once deleted, the client's next packet is a new flow for nftables, goes to a live
 * server, is answered with a reset, and the client reconnects. Matched on the reply side, where
 * the real server is the source: the original tuple holds only the virtual address.
 */
final class Conntrack {

    private Conntrack() {
    }

    static List<String> deleteArgs(List<String> program, ServiceKey key, Destination d) {
        List<String> a = new ArrayList<>(program);
        a.add("-D");
        a.add("-f");
        a.add(d.address().getAddress() instanceof Inet6Address ? "ipv6" : "ipv4");
        boolean ports = key.address() != null || d.address().getPort() != 0;
        if (ports) {
            a.add("-p");
            a.add(key.protocol());
        }
        if (key.address() != null) {
            a.add("--orig-dst");
            a.add(Plan.host(key.address()));
            if (key.port() != 0) {
                a.add("--orig-port-dst");
                a.add(Integer.toString(key.port()));
            }
        }
        a.add("--reply-src");
        a.add(Plan.host(d.address().getAddress()));
        if (ports && d.address().getPort() != 0) {
            a.add("--reply-port-src");
            a.add(Integer.toString(d.address().getPort()));
        }
        return a;
    }

    /** conntrack exits 1 when nothing matched: that is success here. */
    static boolean nothingOrDeleted(Commands.Result r) {
        return r.ok() || r.output().contains("0 flow entries have been deleted");
    }

    /** "3 flow entries have been deleted" -> 3. */
    static int deleted(Commands.Result r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) flow entr").matcher(r.output());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
