package dev.simnet.netfilter;

/** Receives the lines a {@link Target.Log} rule emits (the kernel's LOG/TRACE output, as text). */
@FunctionalInterface
public interface TraceSink {
    /** A sink that discards everything. */
    TraceSink NONE = (now, line) -> { };

    /** One log line at virtual time {@code now}. */
    void trace(long now, String line);
}
