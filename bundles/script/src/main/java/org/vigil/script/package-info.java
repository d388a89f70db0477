/**
 * Scripts as keepalived runs them, in one place for every bundle that runs them (vrrp_script
 * tracking in core, notify scripts, MISC_CHECK, quorum_up/down, notify_up/down):
 * {@link org.vigil.script.CommandLine} splits a configured command as keepalived does,
 * {@link org.vigil.script.RunAs} is who a script runs as (typed, as the config bridge writes it),
 * {@link org.vigil.script.ScriptSecurity} decides the user and applies script_user and
 * enable_script_security with keepalived's log lines, {@link org.vigil.script.ScriptRunner}
 * runs the process (no shell, the chosen user, a timeout, output discarded, exit status or
 * signal reported) without ever blocking its caller, and {@link org.vigil.script.FifoScript}
 * creates a notify FIFO and starts its reader script (notify_fifo_script and the like).
 *
 * <p>A library package: plain classes, no services. Stable (semantic versioning of this
 * package): the public types and members here and the behaviour their documentation states:
 * the splitting rules, the decision order and log lines of {@code ScriptSecurity}, the
 * runner's non-blocking contract and result statuses. Not stable: the wording of messages in
 * {@link org.vigil.script.ScriptResult#message()}, thread names.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.5.0")
package org.vigil.script;
