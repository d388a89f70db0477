package org.vigil.config;

import java.util.List;

/**
 * One statement of keepalived.conf as read: the keyword, the words after it on the same line, and
 * the statements of its block ({@code children} is null when the statement has no block, empty for
 * an empty block). Kept for keywords the typed model recognises but does not type.
 */
public record ConfigNode(String keyword, List<String> args, List<ConfigNode> children, Origin origin) {

    public ConfigNode {
        args = List.copyOf(args);
        children = children == null ? null : List.copyOf(children);
    }

    public boolean hasBlock() {
        return children != null;
    }

    /** The keyword and its words joined by single spaces, as a list entry is usually meant. */
    public String line() {
        return args.isEmpty() ? keyword : keyword + " " + String.join(" ", args);
    }
}
