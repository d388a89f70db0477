package org.vigil.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds statements from tokens. A statement is the words of one line; a block opens with
 * {@code {} on the same line or a following line and closes with {@code }} anywhere, also after
 * other words on a line.
 */
final class TreeBuilder {
    /**
     * keepalived's deepest blocks are a few levels (virtual_server, real_server, a checker);
     * deeper is an error, not recursion until the stack overflows (20,000 '{' did that).
     */
    static final int MAX_DEPTH = 32;

    private final List<Token> tokens;
    private final List<Diagnostic> diagnostics;
    private int pos;
    private int depth;

    TreeBuilder(List<Token> tokens, List<Diagnostic> diagnostics) {
        this.tokens = tokens;
        this.diagnostics = diagnostics;
    }

    List<ConfigNode> build() {
        return block(null);
    }

    private List<ConfigNode> block(ConfigNode owner) {
        if (owner != null && depth >= MAX_DEPTH) {
            skip(owner);
            return List.of();
        }
        depth++;
        try {
            return statements(owner);
        } finally {
            depth--;
        }
    }

    /** Passes over a block nested too deep, up to its matching '}' (or the end), with one error. */
    private void skip(ConfigNode owner) {
        diagnostics.add(Diagnostic.error(owner.origin(), "blocks nested more than " + MAX_DEPTH
                + " deep - ignoring block '" + owner.line() + "'"));
        int open = 1;
        while (pos < tokens.size() && open > 0) {
            Token.Kind kind = tokens.get(pos++).kind();
            if (kind == Token.Kind.OPEN) {
                open++;
            } else if (kind == Token.Kind.CLOSE) {
                open--;
            }
        }
    }

    private List<ConfigNode> statements(ConfigNode owner) {
        List<ConfigNode> nodes = new ArrayList<>();
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            if (t.kind() == Token.Kind.CLOSE) {
                pos++;
                if (owner != null) {
                    return nodes;
                }
                diagnostics.add(Diagnostic.error(t.origin(), "unexpected '}' without a matching '{'"));
                continue;
            }
            if (t.kind() == Token.Kind.OPEN) {
                pos++;
                diagnostics.add(Diagnostic.error(t.origin(), "unexpected '{' without a keyword"));
                block(new ConfigNode("{", List.of(), null, t.origin()));
                continue;
            }
            pos++;
            List<String> args = new ArrayList<>();
            while (pos < tokens.size() && tokens.get(pos).kind() == Token.Kind.WORD
                    && tokens.get(pos).logicalLine() == t.logicalLine()) {
                args.add(tokens.get(pos++).text());
            }
            List<ConfigNode> children = null;
            if (pos < tokens.size() && tokens.get(pos).kind() == Token.Kind.OPEN) {
                pos++;
                children = block(new ConfigNode(t.text(), args, null, t.origin()));
            }
            nodes.add(new ConfigNode(t.text(), args, children, t.origin()));
        }
        if (owner != null) {
            diagnostics.add(Diagnostic.error(owner.origin(),
                    "missing '}': block '" + owner.line() + "' is not closed"));
        }
        return nodes;
    }
}
