/** keepalived's SMTP alerts; nothing here is exported. */
package org.vigil.notify.mail.internal;
