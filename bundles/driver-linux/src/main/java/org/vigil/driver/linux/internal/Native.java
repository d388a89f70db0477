package org.vigil.driver.linux.internal;

import java.io.IOException;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The one loaded libc binding. Loading generates the binding class (about 0.3 s), so it happens
 * once, on first use; a platform without jffi's stub fails here with a clear message.
 */
public final class Native {

    private static volatile Native instance;

    final LibC libc;
    final Runtime runtime;

    private Native() {
        libc = LibraryLoader.create(LibC.class).load("c");
        runtime = Runtime.getRuntime(libc);
    }

    /** The binding, loaded on first call; thread-safe. */
    public static Native get() {
        Native n = instance;
        if (n == null) {
            synchronized (Native.class) {
                n = instance;
                if (n == null) {
                    n = new Native();
                    instance = n;
                }
            }
        }
        return n;
    }

    public LibC libc() {
        return libc;
    }

    /** errno of the last failed call on this thread. */
    int errno() {
        return LastError.getLastError(runtime);
    }

    /** Zeroed native memory; allocate once, reuse. */
    Pointer allocate(int size) {
        return Memory.allocateDirect(runtime, size, true);
    }

    /** An IOException naming what failed and errno's text, read on the failing thread. */
    IOException failure(String what) {
        int errno = errno();
        return new NativeException(what + ": " + libc.strerror(errno) + " (errno " + errno + ")", errno);
    }

    /** Throws {@link #failure} when a call returned a negative value; returns the value otherwise. */
    int check(int rc, String what) throws IOException {
        if (rc < 0) {
            throw failure(what);
        }
        return rc;
    }

    void setInt(int fd, int level, int option, int value, String what) throws IOException {
        byte[] v = { (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24) };
        check(libc.setsockopt(fd, level, option, v, 4), what);
    }

    /** An I/O failure of a libc call, with its errno. */
    static final class NativeException extends IOException {
        private static final long serialVersionUID = 1L;
        final int errno;

        NativeException(String message, int errno) {
            super(message);
            this.errno = errno;
        }
    }
}
