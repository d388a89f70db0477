package org.vigil.config;

/**
 * A notify script: the command (one word, quoted in the file when it has arguments) and the
 * optional user and group to run it as (null when not given).
 */
public record NotifyScript(String command, String user, String group) {
}
