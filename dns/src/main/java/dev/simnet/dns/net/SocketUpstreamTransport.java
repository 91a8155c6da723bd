package dev.simnet.dns.net;

import dev.simnet.dns.DnsProto;
import dev.simnet.dns.Upstream;
import dev.simnet.dns.UpstreamTransport;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link UpstreamTransport} over real sockets: each exchange runs on a daemon worker with its own
 * connected UDP socket (an ICMP port unreachable reports null at once) or TCP connection, as moby
 * dials a fresh connection per forwarded query. Reads give up after {@code ioTimeoutMillis}; the
 * forwarder's own timer normally fires first. At most {@code maxWorkers} exchanges run at once;
 * beyond that an exchange fails at once (null reply) instead of queueing.
 */
public final class SocketUpstreamTransport implements UpstreamTransport, AutoCloseable {
    private final int ioTimeoutMillis;
    private final ExecutorService workers;

    /** Up to 64 workers whose socket reads time out after {@code ioTimeoutMillis}. */
    public SocketUpstreamTransport(int ioTimeoutMillis) {
        this(ioTimeoutMillis, 64);
    }

    /** Up to {@code maxWorkers} concurrent exchanges, socket reads timing out after {@code ioTimeoutMillis}. */
    public SocketUpstreamTransport(int ioTimeoutMillis, int maxWorkers) {
        this.ioTimeoutMillis = ioTimeoutMillis;
        this.workers = new ThreadPoolExecutor(0, maxWorkers, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "dns-upstream");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void exchange(Upstream server, DnsProto proto, byte[] query, Consumer<byte[]> onReply) {
        try {
            run(server, proto, query, onReply);
        } catch (RejectedExecutionException e) {
            onReply.accept(null);
        }
    }

    private void run(Upstream server, DnsProto proto, byte[] query, Consumer<byte[]> onReply) {
        workers.execute(() -> {
            byte[] reply = null;
            boolean gaveUp = false;
            try {
                reply = proto == DnsProto.UDP ? udp(server, query) : tcp(server, query);
            } catch (SocketTimeoutException e) {
                gaveUp = true; // silence: leave it to the forwarder's timer
            } catch (PortUnreachableException e) {
                reply = null;
            } catch (IOException | RuntimeException e) {
                reply = null;
            }
            if (!gaveUp) {
                onReply.accept(reply);
            }
        });
    }

    private byte[] udp(Upstream server, byte[] query) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(server.host(), server.port()));
            s.setSoTimeout(ioTimeoutMillis);
            s.send(new DatagramPacket(query, query.length));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            byte[] out = new byte[p.getLength()];
            System.arraycopy(buf, 0, out, 0, out.length);
            return out;
        }
    }

    private byte[] tcp(Upstream server, byte[] query) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(server.host(), server.port()), ioTimeoutMillis);
            s.setSoTimeout(ioTimeoutMillis);
            OutputStream out = s.getOutputStream();
            byte[] framed = new byte[query.length + 2];
            framed[0] = (byte) (query.length >>> 8);
            framed[1] = (byte) query.length;
            System.arraycopy(query, 0, framed, 2, query.length);
            out.write(framed);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] r = new byte[in.readUnsignedShort()];
            in.readFully(r);
            return r;
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
