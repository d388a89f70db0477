package org.vigil.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start levels of the committed bndrun's {@code -runbundles+} decorator ("slf4j.*;startlevel=2,
 * ...,*;startlevel=10"), applied as bnd applies them: the first pattern that matches a bundle's
 * symbolic name gives its level. The bndrun stays the one source of truth for order.
 */
final class RunBundles {
    private static final String DECORATOR = "-runbundles+:";
    private static final Pattern ENTRY = Pattern.compile("([^,;\\s\\\\]+)\\s*;[^,\\\\]*?startlevel\\s*=\\s*(\\d+)");

    record Rule(Pattern bsn, int level) {
    }

    private final List<Rule> rules;

    private RunBundles(List<Rule> rules) {
        this.rules = rules;
    }

    static RunBundles read(Path bndrun) throws IOException {
        List<Rule> rules = new ArrayList<>();
        if (Files.isReadable(bndrun)) {
            rules.addAll(parse(Files.readString(bndrun)));
        }
        return new RunBundles(rules);
    }

    static RunBundles of(String bndrunText) {
        return new RunBundles(parse(bndrunText));
    }

    static List<Rule> parse(String text) {
        List<Rule> rules = new ArrayList<>();
        int start = text.indexOf(DECORATOR);
        if (start < 0) {
            return rules;
        }
        StringBuilder block = new StringBuilder();
        for (String line : text.substring(start + DECORATOR.length()).split("\n")) {
            block.append(line).append('\n');
            if (!line.stripTrailing().endsWith("\\")) {
                break;
            }
        }
        Matcher m = ENTRY.matcher(block);
        while (m.find()) {
            rules.add(new Rule(glob(m.group(1)), Integer.parseInt(m.group(2))));
        }
        return rules;
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }

    OptionalInt startLevel(String symbolicName) {
        for (Rule r : rules) {
            if (r.bsn().matcher(symbolicName).matches()) {
                return OptionalInt.of(r.level());
            }
        }
        return OptionalInt.empty();
    }
}
