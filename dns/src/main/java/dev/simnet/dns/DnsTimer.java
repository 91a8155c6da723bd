package dev.simnet.dns;

/**
 * Time for the DNS code, so the same forwarder and stub resolver run in virtual time (the
 * simulator's scheduler) and wall time (a scheduled executor). Nothing in this module reads a clock.
 */
public interface DnsTimer {
    /** A scheduled task that may be cancelled. */
    interface Cancellable {
        /** Cancels the task if it has not run; harmless afterwards. */
        void cancel();
    }

    /** The current time in nanoseconds (virtual or wall, as the implementation decides). */
    long now();

    /** Runs {@code task} after {@code delayNanos}. */
    Cancellable schedule(long delayNanos, Runnable task);
}
