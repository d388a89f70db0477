/**
 * Conventions every configured component shares: how a component property type's method names
 * map to configuration keys, and how a typed configuration is checked attribute by attribute.
 * Used by the keepalived.conf bridge, the components it configures, and third-party check types
 * reading their block's keywords.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vigil.api.config;
