/**
 * The libc calls Vigil makes (sockets, poll, eventfd, namespaces, scheduling), in plain Java
 * types: file descriptors as {@code int}, memory the kernel fills or reads during a call as
 * direct {@link java.nio.ByteBuffer}s in native byte order, small inputs as {@code byte[]}.
 * The binding behind them (jnr-ffi, private to this bundle) is loaded on the first call.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.vigil.libc;
