/** The interface driver seam: how the election core sends and receives VRRP packets and learns link state. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.vigil.api.driver;
