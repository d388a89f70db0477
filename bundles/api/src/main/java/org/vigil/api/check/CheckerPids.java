package org.vigil.api.check;

/**
 * The contract between the keepalived.conf bridge (config bundle) and the checker, like
 * {@code org.vigil.api.vrrp.ConfigurationPids} for VRRP: PIDs, and keys named after keepalived's
 * keywords with underscores turned into dots ({@code delay_loop} is {@code delay.loop}).
 *
 * <p>Virtual and real server keywords are normalised by the bridge (typed values, keepalived's
 * defaults and fix-ups, times in seconds as double). A check block is not: the bridge cannot know
 * a third party's grammar, so every keyword of {@code check.N} is stored as its tokens (String[])
 * and read by the checker and the type through {@link CheckProperties}.
 */
public final class CheckerPids {
    private CheckerPids() {
    }

    /**
     * Factory configuration: one per virtual_server, carrying its real servers and sorry server
     * ({@link #REAL_SERVER_COUNT}, {@link #realServerPrefix}). One configuration per real server
     * would cost O(n^2) in ConfigurationAdmin and SCR at start-up (each factory configuration event
     * lists all configurations): 10,000 real servers took minutes.
     */
    public static final String VIRTUAL_SERVER = "org.vigil.checker.virtualserver";
    /** Factory configuration: one per virtual_server_group. */
    public static final String GROUP = "org.vigil.checker.group";

    /**
     * A virtual server's identity, on its own configuration and on each of its real servers':
     * "192.0.2.249:tcp:80" ([v6] in brackets), "fwmark:10:inet" or "group:NAME:tcp". String. An
     * identity only, compared and never parsed: the service itself is {@link #ADDRESS} and
     * {@link #PORT}, or "fwmark" (long) with "ip.family" (inet|inet6), or "group" (the group's name).
     */
    public static final String VIRTUAL_SERVER_KEY = "virtual.server";

    /** Number of real servers on a virtual server's configuration (int), the sorry server included. */
    public static final String REAL_SERVER_COUNT = "real.server.count";

    /**
     * The prefix of real server N's keys on its virtual server's configuration: "real.server.N.".
     * After it come the keys below, the real_server keywords (underscores as dots) and its check
     * blocks ("real.server.N.check.M.keyword").
     */
    public static String realServerPrefix(int n) {
        return "real.server." + n + ".";
    }

    /** Real server keys besides keywords: address (String), port (int), sorry (boolean: a sorry_server). */
    public static final String ADDRESS = "address";
    public static final String PORT = "port";
    public static final String SORRY = "sorry";

    /**
     * Formerly the number of check blocks on a real server. Neither written by the bridge nor read
     * by the checker any more: a real server's blocks are the N with a {@link #checkType(int)}
     * key, and block N's keys start with "check.N." (keepalived has no such count).
     *
     * @deprecated ignored; find the blocks by their type keys
     */
    @Deprecated
    public static final String CHECK_COUNT = "check.count";
    /**
     * Block N's type, "check.N.vigil.type": the block name as written, upper case ("TCP_CHECK").
     * Not "check.N.type": that is where a block's own keyword {@code type} goes (DNS_CHECK's
     * {@code type A}); no keepalived keyword starts with "vigil.".
     */
    public static String checkType(int n) {
        return "check." + n + ".vigil.type";
    }

    /** The prefix of block N's keywords. */
    public static String checkPrefix(int n) {
        return "check." + n + ".";
    }
}
