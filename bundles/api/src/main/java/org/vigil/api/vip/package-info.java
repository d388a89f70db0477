/** The VIP manager seam: how the election core adds and removes virtual addresses, routes and rules. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.vigil.api.vip;
