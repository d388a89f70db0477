/** The authenticator seam: VRRPv2 authentication types (none, PASS, AH); 0.2.0 adds {@link org.vigil.api.auth.AhSession}. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vigil.api.auth;
