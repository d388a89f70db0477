package org.vigil.notify.script.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * keepalived's enable_script_security rule for a script that runs as root: the program and every
 * directory above it must be owned by root and not writable by a non-root group or by anyone
 * (sticky directories such as /tmp excepted: others cannot replace what is in them). Otherwise a
 * local user could make root run their code.
 */
final class ScriptSecurity {

    private ScriptSecurity() {
    }

    /** The program of the command: its first word (the script itself, also for shell commands). */
    static boolean secure(CommandLine command) {
        String program = command.words().get(0);
        if (!program.contains("/")) {
            String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
            for (String dir : path.split(":")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
                if (Files.isExecutable(candidate)) {
                    return secure(candidate);
                }
            }
            return false;
        }
        return secure(Path.of(program));
    }

    static boolean secure(Path file) {
        try {
            for (Path p = file.toRealPath(); p != null; p = p.getParent()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                boolean sticky = (mode & 01000) != 0 && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                boolean groupWritable = (mode & 020) != 0 && (Integer) a.get("gid") != 0;
                boolean worldWritable = (mode & 02) != 0;
                if ((Integer) a.get("uid") != 0 || (groupWritable || worldWritable) && !sticky) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
