package org.vigil.config.internal;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.config.ConfigReloader;

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
        return reloader.reloadVerdict();
    }
}
