package dev.simnet.dns.net;

import dev.simnet.dns.DnsTimer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link DnsTimer} in wall-clock time for the real-socket servers (one daemon thread). */
public final class WallClockTimer implements DnsTimer, AutoCloseable {
    private final ScheduledThreadPoolExecutor exec = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "dns-timer");
        t.setDaemon(true);
        return t;
    });

    /** A timer with its own thread. */
    public WallClockTimer() {
        exec.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long now() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        ScheduledFuture<?> f = exec.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}
