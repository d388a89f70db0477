/** DNS_CHECK: one UDP query per attempt on a shared selector thread, with a small DNS encoder and decoder; nothing here is exported. */
package org.vigil.check.dns.internal;
