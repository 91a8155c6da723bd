package dev.simnet.sched;

/**
 * Non-blocking I/O that a {@link RealtimeRunner} drives on its own loop thread, instead of I/O threads
 * posting work to it: the loop {@link #poll}s it between events, and when it has nothing to do it
 * waits in {@link #await} (one {@code poll(2)} over the I/O descriptors and a wake-up descriptor)
 * rather than parking. A frame read, switched and written then stays on one thread with no hand-off.
 * {@link #poll} and {@link #await} are called only on the loop thread; {@link #wakeup} from any thread.
 */
public interface IoPoller {
    /**
     * Does the I/O that is ready now without blocking (reads frames into the engine at virtual time
     * {@code now}, which may schedule events). Returns true if it did anything, so the loop runs the
     * events it made before waiting.
     */
    boolean poll(long now);

    /**
     * Blocks the loop thread for at most {@code nanos} (Long.MAX_VALUE: no limit) until I/O is ready
     * or {@link #wakeup} is called; may return early. The next {@link #poll} handles what became ready.
     */
    void await(long nanos);

    /** Makes a current or the next {@link #await} return at once. Thread-safe. */
    void wakeup();
}
