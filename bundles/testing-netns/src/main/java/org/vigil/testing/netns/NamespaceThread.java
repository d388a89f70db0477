package org.vigil.testing.netns;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * A thread that lives in another network namespace: it calls setns(2) once, before anything
 * else, so every socket it creates belongs to that namespace (sockets keep their namespace for
 * life, whichever thread later uses them).
 */
public final class NamespaceThread implements AutoCloseable {

    /** The calls this test needs beyond the driver's. */
    public interface NsLibC {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final NsLibC LIBC = LibraryLoader.create(NsLibC.class).load("c");

    private final ExecutorService executor;

    public NamespaceThread(String namespace) throws Exception {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + namespace);
            t.setDaemon(true);
            return t;
        });
        call(() -> {
            enter(namespace);
            return null;
        });
    }

    /** Moves the calling thread into the namespace, for good. */
    public static void enter(String namespace) {
        int fd = LIBC.open("/var/run/netns/" + namespace, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("open netns " + namespace + ": errno "
                    + LastError.getLastError(Runtime.getRuntime(LIBC)));
        }
        try {
            if (LIBC.setns(fd, CLONE_NEWNET) != 0) {
                throw new IllegalStateException("setns " + namespace + ": errno "
                        + LastError.getLastError(Runtime.getRuntime(LIBC)));
            }
        } finally {
            LIBC.close(fd);
        }
    }

    /** Threads that enter the namespace before they run anything (the VIP manager's worker). */
    public static java.util.concurrent.ThreadFactory factory(String namespace) {
        return task -> {
            Thread t = new Thread(() -> {
                enter(namespace);
                task.run();
            }, "vigil-vip-" + namespace);
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs the task in the namespace and returns its result, rethrowing what it threw. */
    public <T> T call(Callable<T> task) throws Exception {
        try {
            return executor.submit(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
