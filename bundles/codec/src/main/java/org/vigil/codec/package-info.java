/**
 * VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798, RFC 9568) advertisements: encode, decode with every
 * packet-level receive check, and checksums. Pure functions; the decode path allocates nothing.
 * 0.2.0: decoding and checksumming a message followed by auth_hmac's trailer.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vigil.codec;
