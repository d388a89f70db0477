/** keepalived's notify scripts and notify FIFO; nothing here is exported. */
package org.vigil.notify.script.internal;
