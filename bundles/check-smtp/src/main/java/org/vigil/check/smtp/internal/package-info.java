/** SMTP_CHECK: an asynchronous SMTP dialogue (banner, HELO, QUIT) on one shared channel group; nothing here is exported. */
package org.vigil.check.smtp.internal;
