package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the kernel says of a thread's scheduling, from /proc (tests only). */
final class ThreadScheduling {
    private ThreadScheduling() {
    }

    /** "policy/rt_priority" (fields 41 and 40 of stat; policy 2 is SCHED_RR) of a /proc task directory. */
    static String of(Path task) throws IOException {
        String[] f = fields(task);
        return f[41 - 3] + "/" + f[40 - 3];
    }

    /** The nice value (field 19) of a /proc task directory. */
    static int nice(Path task) throws IOException {
        return Integer.parseInt(fields(task)[19 - 3]);
    }

    /** The fields after the command name; index 0 is field 3 (state). */
    private static String[] fields(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
}
