/** PING_CHECK: ICMP echo through jnr-ffi sockets, one receive thread; nothing here is exported. */
package org.vigil.check.ping.internal;
