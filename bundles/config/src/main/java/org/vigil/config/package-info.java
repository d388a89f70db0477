/**
 * keepalived.conf parser, typed model, validation and the mapping to ConfigurationAdmin
 * properties. Usable on a plain class path ({@code vigil -t}): nothing here needs OSGi at run time.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.vigil.config;
