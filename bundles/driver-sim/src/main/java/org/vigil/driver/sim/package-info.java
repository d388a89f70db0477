/**
 * The simulated LAN: its datagram format, an endpoint that joins a LAN from any JVM (inside or
 * outside an OSGi framework), and the control interface of the simulated driver. Plain Java, so
 * that the demo launcher and the integration tests can watch and inject traffic from outside the
 * framework.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vigil.driver.sim;
