/** The authenticator seam: VRRPv2 authentication types (none, PASS, AH); 0.2.0 added {@link org.vigil.api.auth.AhSession}; 0.3.0 splits its verify from accept (a dropped advert no longer moves the replay counter) and reads the IPv4 header from the datagram; 0.4.0 adds the auth_hmac trailer ({@link org.vigil.api.auth.HmacAuthenticator}). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package org.vigil.api.auth;
