package org.vigil.config.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.config.ConfigReloader;
import org.vigil.config.Diagnostic;

/**
 * {@code vigil:reload}: keepalived's SIGHUP as a command (the launcher's SIGHUP runs it too, and
 * {@code bin/vigil ctl vigil:reload} gives its verdict as the exit status). The file is checked
 * first; a bad one changes nothing and fails the command with every file:line.
 */
@Component(service = ReloadCommand.class)
@GogoCommand(scope = "vigil", function = { "reload" })
public final class ReloadCommand {
    private final ConfigReloader reloader;

    @Activate
    public ReloadCommand(@Reference ConfigReloader reloader) {
        this.reloader = reloader;
    }

    @Descriptor("re-reads keepalived.conf and applies only what changed; a bad file keeps the running configuration")
    public String reload() {
        List<Diagnostic> diagnostics = reloader.reload();
        String lines = diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
            throw new IllegalArgumentException(lines + "\n" + reloader.configFile()
                    + ": not applied, the running configuration stays");
        }
        return (lines.isEmpty() ? "" : lines + "\n") + reloader.configFile() + ": applied";
    }
}
