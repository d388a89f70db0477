package org.vigil.config;

/**
 * An lvs_method (lb_kind): NAT, DR or TUN with its tunnel options.
 *
 * @param kind       "NAT", "DR" or "TUN"
 * @param tunnelType for TUN: "ipip" (keepalived's default), "gue" or "gre"; null otherwise
 * @param tunnelPort for a gue tunnel: its port; 0 otherwise
 * @param checksum   for TUN: "nocsum", "csum", "remcsum", or null when not written
 */
public record LvsMethod(String kind, String tunnelType, int tunnelPort, String checksum) {

    /** keepalived's default forwarding method. */
    public static final LvsMethod NAT = new LvsMethod("NAT", null, 0, null);

    @Override
    public String toString() {
        if (!kind.equals("TUN")) {
            return kind;
        }
        return kind + " type " + tunnelType + (tunnelPort > 0 ? " port " + tunnelPort : "")
                + (checksum != null ? " " + checksum : "");
    }
}
