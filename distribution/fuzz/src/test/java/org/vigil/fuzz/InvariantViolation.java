package org.vigil.fuzz;

/** A fuzz target's invariant does not hold: a finding, reported by Jazzer like any uncaught exception. */
public final class InvariantViolation extends AssertionError {
    private static final long serialVersionUID = 1L;

    public InvariantViolation(String message) {
        super(message);
    }
}
