package org.vigil.codec;

import static org.vigil.codec.Bytes.hex;

/** Real keepalived 2.2.7 captures from the lab (lab.md section 7). */
final class Vectors {
    private Vectors() {
    }

    static final byte[] R1_IPV4 = hex("c000020b");
    static final byte[] GROUP_IPV4 = hex("e0000012");
    static final byte[] VIP_IPV4 = hex("c00002f9");
    static final byte[] R1_LINK_LOCAL = hex("fe80000000000000302d98fffeffcaa8");
    static final byte[] GROUP_IPV6 = hex("ff020000000000000000000000000012");
    static final byte[] VIP_IPV6 = hex("20010db8000000000000000000000249");
    static final byte[] R1_MAC = hex("322d98ffcaa8");
    static final byte[] PASSWORD = hex("6c61623531707700"); // "lab51pw" NUL-padded

    static final String V2_PASS_150_FRAME =
            "01005e000012322d98ffcaa8080045c0002800010000ff701887c000020be00000122133960101010dc9c00002f96c61623531707700";
    static final byte[] V2_PASS_150 = hex("2133960101010dc9c00002f96c61623531707700");
    static final byte[] V2_PASS_0 = hex("213300010101a3c9c00002f96c61623531707700");
    static final String V3_IPV4_150_FRAME =
            "01005e000012322d98ffcaa8080045c0002000010000ff70188fc000020be000001231339601000ad32cc00002f9";
    static final byte[] V3_IPV4_150 = hex("31339601000ad32cc00002f9");
    static final byte[] V3_IPV4_0 = hex("31330001000a692dc00002f9");
    /** The whole IPv4 packet: 20-byte IP header, 24-byte AH header, 20-byte VRRP message. */
    static final byte[] V2_AH_IP = hex("45c0004000010000ff3318acc000020be000001270040000c000020b0000000132a0db072ff371c5c320ff6f"
            + "21339601020183d0c00002f90000000000000000");
    static final int V2_AH_VRRP_OFFSET = 20 + 24;
    static final byte[] V3_IPV6_150 = hex("313396010064777120010db8000000000000000000000249");

    static final String GARP_FRAME = "ffffffffffff322d98ffcaa808060001080006040001322d98ffcaa8c00002f9ffffffffffffc00002f9";
    static final String NA_FRAME = "333300000001322d98ffcaa886dd6000000000203aff20010db8000000000000000000000249"
            + "ff020000000000000000000000000001880060c62000000020010db80000000000000000000002490201322d98ffcaa8";
}
