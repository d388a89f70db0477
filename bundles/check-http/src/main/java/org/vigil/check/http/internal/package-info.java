/** HTTP_GET and SSL_GET: a small HTTP/1.x client over NIO (and SSLEngine); nothing here is exported. */
package org.vigil.check.http.internal;
