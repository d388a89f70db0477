package org.vigil.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the start levels that bnd-resolver wrote into the committed bndrun, so the bndrun stays
 * the one source of truth for the bundle set and its order.
 */
final class RunBundles {
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9_.\\-]+);[^,\\\\]*?startlevel=(\\d+)");

    private RunBundles() {
    }

    static Map<String, Integer> startLevels(Path bndrun) throws IOException {
        Map<String, Integer> levels = new HashMap<>();
        if (!Files.isReadable(bndrun)) {
            return levels;
        }
        String text = Files.readString(bndrun);
        int start = text.indexOf("-runbundles:");
        if (start < 0) {
            return levels;
        }
        StringBuilder block = new StringBuilder();
        for (String line : text.substring(start + "-runbundles:".length()).split("\n")) {
            block.append(line).append('\n');
            if (!line.stripTrailing().endsWith("\\")) {
                break;
            }
        }
        Matcher m = ENTRY.matcher(block);
        while (m.find()) {
            levels.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return levels;
    }
}
