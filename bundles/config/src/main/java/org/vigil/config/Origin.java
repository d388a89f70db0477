package org.vigil.config;

/** Where a configuration element was written: file as given or resolved, and 1-based line. */
public record Origin(String file, int line) {

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
