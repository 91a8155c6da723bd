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
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * {@link UpstreamTransport} over real sockets: each exchange runs on a daemon worker with its own
 * connected UDP socket (an ICMP port unreachable reports null at once) or TCP connection. Reads
 * give up after {@code ioTimeoutMillis}; the forwarder's own timer normally fires first.
 */
public final class SocketUpstreamTransport implements UpstreamTransport, AutoCloseable {
    private final int ioTimeoutMillis;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dns-upstream");
        t.setDaemon(true);
        return t;
    });

    /** Workers whose socket reads time out after {@code ioTimeoutMillis}. */
    public SocketUpstreamTransport(int ioTimeoutMillis) {
        this.ioTimeoutMillis = ioTimeoutMillis;
    }

    @Override
    public void exchange(Upstream server, DnsProto proto, byte[] query, Consumer<byte[]> onReply) {
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
