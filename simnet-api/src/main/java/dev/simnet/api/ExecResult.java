package dev.simnet.api;

/**
 * What a command printed and how it exited, as {@code docker compose exec} shows it.
 *
 * @param exitCode exit status (0 success; 127 unknown command, as a shell reports it)
 * @param stdout   standard output
 * @param stderr   standard error
 */
public record ExecResult(int exitCode, String stdout, String stderr) {
    /** True when the exit code is 0. */
    public boolean ok() {
        return exitCode == 0;
    }

    /** Standard output followed by standard error. */
    public String output() {
        return stdout + stderr;
    }
}
