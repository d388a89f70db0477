/** Value types, status and events of VRRP instances, and the keepalived.conf to ConfigurationAdmin contract. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.8.0")
package org.vigil.api.vrrp;
