package dev.simnet.linux;

/**
 * What a command run in a namespace did.
 *
 * @param exitCode the exit status (-1 when killed by the timeout)
 * @param stdout   standard output as text
 * @param stderr   standard error as text
 * @param timedOut true when the timeout expired and the process was killed
 */
public record CommandResult(int exitCode, String stdout, String stderr, boolean timedOut) {
    /** True for exit status 0 without timeout. */
    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }
}
