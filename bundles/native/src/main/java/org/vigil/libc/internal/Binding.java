package org.vigil.libc.internal;

import java.nio.ByteBuffer;

import com.kenai.jffi.MemoryIO;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The one loaded libc binding of the appliance. Loading extracts jffi's stub and generates the
 * binding class (0.2-0.3 s, a few MB of class metadata), so it happens on the first call, not
 * when the bundle resolves or starts: a feature that never makes a native call (lb-ipvs without
 * IPVS, PING_CHECK unconfigured) costs nothing. Thread-safe.
 */
public final class Binding {

    private static volatile Binding instance;

    private final LibC libc;
    private final Runtime runtime;
    private final MemoryIO memory;

    private Binding() {
        libc = LibraryLoader.create(LibC.class).load("c");
        runtime = Runtime.getRuntime(libc);
        memory = MemoryIO.getInstance();
    }

    /** The binding, loaded on the first call. */
    public static Binding get() {
        Binding b = instance;
        if (b == null) {
            synchronized (Binding.class) {
                b = instance;
                if (b == null) {
                    b = new Binding();
                    instance = b;
                }
            }
        }
        return b;
    }

    /** Whether a call has loaded the binding yet (for tests and diagnostics). */
    public static boolean loaded() {
        return instance != null;
    }

    public LibC libc() {
        return libc;
    }

    /** errno of the last failed call on this thread. */
    public int errno() {
        return LastError.getLastError(runtime);
    }

    /** A jnr-ffi pointer to a direct buffer's first byte, for the calls that take one (see {@link LibC}). */
    public Pointer pointer(ByteBuffer buffer) {
        return Pointer.wrap(runtime, address(buffer));
    }

    /**
     * The address of a direct buffer's first byte (a JNI lookup, no allocation). The caller keeps
     * the buffer reachable for as long as the kernel may use the address.
     *
     * @throws IllegalArgumentException for a heap buffer, whose bytes the garbage collector moves
     */
    public long address(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("native calls need a direct ByteBuffer");
        }
        return memory.getDirectBufferAddress(buffer);
    }
}
