/** TCP_CHECK: a non-blocking connect on one selector thread; nothing here is exported. */
package org.vigil.check.tcp.internal;
