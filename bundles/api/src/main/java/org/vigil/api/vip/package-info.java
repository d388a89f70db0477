/** The VIP manager seam: how the election core adds and removes virtual addresses. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vigil.api.vip;
