package org.vigil.lab;

/**
 * One VRRP flavour for a lab instance (VI_1, VRID 51, interface lan0), written as keepalived.conf text that
 * both Vigil and keepalived read.
 */
record Vrrp(String name, int version, String auth, String advertInt, boolean ipv6, boolean checksumAsV2) {
    static final String PASSWORD = "lab51pw";

    static Vrrp v2Pass() {
        return new Vrrp("v2 PASS", 2, "PASS", "1", false, false);
    }

    static Vrrp v2Ah() {
        return new Vrrp("v2 AH", 2, "AH", "1", false, false);
    }

    static Vrrp v3(String advertInt) {
        return new Vrrp("v3 IPv4 " + advertInt + " s", 3, null, advertInt, false, false);
    }

    static Vrrp v3AsV2(String advertInt) {
        return new Vrrp("v3 IPv4 v3_checksum_as_v2 " + advertInt + " s", 3, null, advertInt, false, true);
    }

    static Vrrp v3Ipv6(String advertInt) {
        return new Vrrp("v3 IPv6 " + advertInt + " s", 3, null, advertInt, true, false);
    }

    String vip() {
        return ipv6 ? Lab.VIP6 : Lab.VIP4;
    }

    double advertSeconds() {
        return Double.parseDouble(advertInt);
    }

    /** RFC 5798 section 6.1: Master_Down_Interval = 3 x interval + Skew_Time, Skew = (256 - prio) x interval / 256. */
    double masterDownSeconds(int backupPriority) {
        return 3 * advertSeconds() + skewSeconds(backupPriority);
    }

    double skewSeconds(int priority) {
        return (256 - priority) * advertSeconds() / 256;
    }

    String config(String routerId, int priority) {
        return config(routerId, priority, checksumAsV2);
    }

    String config(String routerId, int priority, boolean asV2) {
        StringBuilder b = new StringBuilder();
        b.append("global_defs {\n    router_id ").append(routerId).append("\n}\n");
        b.append("vrrp_instance VI_1 {\n");
        b.append("    state BACKUP\n");
        b.append("    interface lan0\n");
        b.append("    virtual_router_id 51\n");
        b.append("    priority ").append(priority).append('\n');
        b.append("    version ").append(version).append('\n');
        b.append("    advert_int ").append(advertInt).append('\n');
        if (asV2) {
            b.append("    v3_checksum_as_v2\n");
        }
        if (auth != null) {
            b.append("    authentication {\n        auth_type ").append(auth).append("\n        auth_pass ").append(PASSWORD)
                    .append("\n    }\n");
        }
        b.append("    virtual_ipaddress {\n        ").append(ipv6 ? Lab.VIP6 + "/64" : Lab.VIP4 + "/24")
                .append(" dev lan0\n    }\n");
        b.append("}\n");
        return b.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
