package dev.simnet.api;

/**
 * The outcome of running a compose file's {@code x-simnet} steps, as {@code simnet run} reports it.
 *
 * @param passed       true when every step worked and every expectation held
 * @param expectations number of expectations checked
 * @param failures     failed expectations plus steps that errored
 * @param text         the readable report: each step, its output, and the summary
 */
public record StepsReport(boolean passed, int expectations, int failures, String text) {
    /** Returns this report when it passed; otherwise throws an {@link AssertionError} whose message is the whole report. */
    public StepsReport requirePassed() {
        if (!passed) {
            throw new AssertionError(failures + " failure(s) in the scenario's steps:\n" + text);
        }
        return this;
    }
}
