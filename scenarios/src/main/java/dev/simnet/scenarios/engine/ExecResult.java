package dev.simnet.scenarios.engine;

/**
 * What a command printed and how it exited, as {@code docker compose exec} would show it.
 *
 * @param exit   exit status (0 success; 126/127 as a shell reports unknown or non-executable commands)
 * @param stdout standard output
 * @param stderr standard error
 */
public record ExecResult(int exit, String stdout, String stderr) {
    /** A successful result with {@code stdout}. */
    public static ExecResult ok(String stdout) {
        return new ExecResult(0, stdout, "");
    }

    /** A failed result with {@code stderr}. */
    public static ExecResult fail(int exit, String stderr) {
        return new ExecResult(exit, "", stderr);
    }
}
