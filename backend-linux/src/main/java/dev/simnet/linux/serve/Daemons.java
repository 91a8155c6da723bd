package dev.simnet.linux.serve;

/** Starting the servers' daemon threads (they inherit the starting thread's network namespace). */
final class Daemons {
    private Daemons() {
    }

    /** Starts {@code r} on a new daemon thread named {@code name}. */
    static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
