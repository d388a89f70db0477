/**
 * VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798, RFC 9568) advertisements: encode, decode with every
 * packet-level receive check, and checksums. Pure functions; the decode path allocates nothing.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vigil.codec;
