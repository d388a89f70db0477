/** The authenticator seam: VRRPv2 authentication types (none, PASS, AH). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vigil.api.auth;
