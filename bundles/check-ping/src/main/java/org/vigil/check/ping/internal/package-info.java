/** PING_CHECK: ICMP echo through the native bundle's libc sockets, one receive thread; nothing here is exported. */
package org.vigil.check.ping.internal;
