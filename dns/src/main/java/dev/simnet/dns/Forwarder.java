package dev.simnet.dns;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Docker's forwarding of unknown names (moby {@code libnetwork/resolver.go} {@code forwardExtDNS}):
 * at most {@value #MAX_UPSTREAMS} upstream servers, tried in order, each with its own timeout
 * (4 s by default); a SERVFAIL or REFUSED answer, an unreadable answer, a transport error or a
 * timeout moves to the next server; any other answer (NXDOMAIN included) is passed back with the
 * same id; when no server answers the callback receives null (the caller answers SERVFAIL).
 * The query goes out unchanged, the client's id included (miekg {@code ExchangeWithConn} writes
 * the message as it came), and a reply must carry that id. The number of queries in flight is
 * bounded; beyond it
 * {@link #forward} refuses at once (returns false) and nothing is queued.
 */
public final class Forwarder {
    /** Docker forwards to at most three servers. */
    public static final int MAX_UPSTREAMS = 3;
    /** Docker's per-server timeout, 4 s. */
    public static final long DEFAULT_TIMEOUT_NANOS = 4_000_000_000L;
    /** Docker's limit of concurrent forwarded queries. */
    public static final int DEFAULT_MAX_PENDING = 1024;

    private final UpstreamTransport transport;
    private final DnsTimer timer;
    private final long timeoutNanos;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();

    /** A forwarder with Docker's timeout and concurrency limit. */
    public Forwarder(UpstreamTransport transport, DnsTimer timer) {
        this(transport, timer, DEFAULT_TIMEOUT_NANOS, DEFAULT_MAX_PENDING);
    }

    /** A forwarder with the given per-server timeout and bound on queries in flight. */
    public Forwarder(UpstreamTransport transport, DnsTimer timer, long timeoutNanos, int maxPending) {
        this.transport = transport;
        this.timer = timer;
        this.timeoutNanos = timeoutNanos;
        this.maxPending = maxPending;
    }

    /** Queries currently in flight. */
    public int pending() {
        return pending.get();
    }

    /**
     * Forwards {@code query} (its bytes are copied) to {@code servers}. Returns false, without
     * calling {@code done}, when the in-flight table is full; otherwise {@code done} is called exactly
     * once with the reply (client's id restored) or null.
     */
    public boolean forward(byte[] query, List<Upstream> servers, DnsProto proto, Consumer<byte[]> done) {
        if (servers.isEmpty()) {
            done.accept(null);
            return true;
        }
        while (true) {
            int p = pending.get();
            if (p >= maxPending) {
                return false;
            }
            if (pending.compareAndSet(p, p + 1)) {
                break;
            }
        }
        Attempt a = new Attempt(query.clone(), servers.subList(0, Math.min(MAX_UPSTREAMS, servers.size())), proto, done);
        a.next();
        return true;
    }

    /** One forwarded query walking its server list. */
    private final class Attempt {
        private final byte[] query;
        private final List<Upstream> servers;
        private final DnsProto proto;
        private final Consumer<byte[]> done;
        private int index = -1;
        private boolean finished;
        private DnsTimer.Cancellable timeout;

        Attempt(byte[] query, List<Upstream> servers, DnsProto proto, Consumer<byte[]> done) {
            this.query = query;
            this.servers = servers;
            this.proto = proto;
            this.done = done;
        }

        void next() {
            int attempt;
            byte[] out;
            synchronized (this) {
                if (finished) {
                    return;
                }
                index++;
                if (index >= servers.size()) {
                    finish(null);
                    return;
                }
                attempt = index;
                out = query;
                timeout = timer.schedule(timeoutNanos, () -> failed(attempt));
            }
            transport.exchange(servers.get(attempt), proto, out, reply -> onReply(attempt, reply));
        }

        private void failed(int attempt) {
            synchronized (this) {
                if (finished || attempt != index) {
                    return;
                }
                if (timeout != null) {
                    timeout.cancel();
                }
            }
            next();
        }

        private void onReply(int attempt, byte[] reply) {
            synchronized (this) {
                if (finished || attempt != index) {
                    return; // late answer from a server we gave up on
                }
            }
            if (reply == null || reply.length < 12 || (reply[2] & 0x80) == 0
                    || reply[0] != query[0] || reply[1] != query[1]) {
                failed(attempt);
                return;
            }
            int rcode = reply[3] & 0x0f;
            if (rcode == 2 || rcode == 5) { // SERVFAIL, REFUSED
                failed(attempt);
                return;
            }
            byte[] r = reply;
            synchronized (this) {
                if (finished || attempt != index) {
                    return;
                }
                timeout.cancel();
                finish(r);
            }
        }

        private void finish(byte[] r) {
            // called with this locked
            finished = true;
            pending.decrementAndGet();
            done.accept(r);
        }
    }
}
