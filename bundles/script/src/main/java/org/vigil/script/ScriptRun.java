package org.vigil.script;

import java.util.concurrent.CompletionStage;

/** One script run handed to a {@link ScriptRunner}: its result to come, and a way to stop it. */
public interface ScriptRun {

    /**
     * Completes once when the run ends (never exceptionally). Dependent actions run on a JDK
     * process-reaper thread or on the runner's thread: they must not block.
     */
    CompletionStage<ScriptResult> result();

    /**
     * Stops the run: a run still waiting never starts ({@link ScriptResult.Status#NOT_STARTED}); a
     * running process and its descendants get SIGTERM, then SIGKILL after the grace period.
     */
    void kill();
}
