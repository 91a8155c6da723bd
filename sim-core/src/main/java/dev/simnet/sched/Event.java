package dev.simnet.sched;

/**
 * Something that happens at a point of virtual time. Implementations on the per-packet path are
 * long-lived objects (a timer, a device's transmit completion) so that scheduling allocates nothing.
 */
@FunctionalInterface
public interface Event {
    /** Runs the event; {@code now} is the virtual time in nanoseconds at which it fires. */
    void fire(long now);
}
