package org.vigil.codec;

/** How a VRRP checksum is computed (RFC 3768 5.3.8, RFC 5798 5.2.8, RFC 9568 5.2.8). */
public enum ChecksumForm {
    /** VRRPv2: the message only. */
    V2,
    /** VRRPv3 with the IPv4 or IPv6 pseudo-header (RFC 5798 reading; keepalived's default for IPv4, always for IPv6). */
    V3_PSEUDO_HEADER,
    /** VRRPv3 IPv4, message only (RFC 9568; keepalived's v3_checksum_as_v2). */
    V3_MESSAGE_ONLY
}
