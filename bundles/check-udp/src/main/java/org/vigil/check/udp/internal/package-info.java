/** UDP_CHECK: one datagram per attempt on a shared selector thread, ICMP errors and replies read from a connected channel; nothing here is exported. */
package org.vigil.check.udp.internal;
