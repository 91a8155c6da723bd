package dev.simnet.linux;

import dev.simnet.linux.ffi.Native;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A single thread that entered a network namespace with {@code setns(2)} and never leaves it: code
 * submitted here opens its sockets inside that namespace (a socket keeps the namespace it was
 * created in, so a server's accepted connections and any thread later using the socket stay there).
 * Threads started by a task inherit the namespace too (the kernel copies it on {@code clone}), which
 * servers rely on; for the same reason a task must not be the first user of a shared pool such as
 * {@code ForkJoinPool.commonPool()}, whose workers would then be born inside this namespace.
 */
public final class NetnsExecutor implements AutoCloseable {
    private final String namespace;
    private final ExecutorService thread;

    NetnsExecutor(String namespace, int nsFd) {
        this.namespace = namespace;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + namespace);
            t.setDaemon(true);
            return t;
        });
        try {
            thread.submit(() -> {
                Native.setns(nsFd, Native.CLONE_NEWNET);
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
            throw new IllegalStateException("interrupted entering " + namespace, e);
        } catch (ExecutionException e) {
            thread.shutdownNow();
            throw new IllegalStateException("cannot enter namespace " + namespace + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The namespace's name. */
    public String namespace() {
        return namespace;
    }

    /** Runs {@code task} inside the namespace and waits for its result; task exceptions are rethrown. */
    public <T> T call(Callable<T> task) {
        try {
            return thread.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c.getMessage(), c);
        }
    }

    /** Submits {@code task} to run inside the namespace. */
    public <T> Future<T> submit(Callable<T> task) {
        return thread.submit(task);
    }

    /** Runs {@code task} inside the namespace asynchronously. */
    public CompletableFuture<Void> run(Runnable task) {
        return CompletableFuture.runAsync(task, thread);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
