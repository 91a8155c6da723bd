package dev.simnet.scenarios.sim;

import dev.simnet.dns.DnsHandler;
import dev.simnet.dns.DnsProto;
import dev.simnet.host.HostStack;
import dev.simnet.host.TcpServerSocket;
import dev.simnet.host.TcpSocket;
import dev.simnet.host.UdpSocket;
import java.io.ByteArrayOutputStream;

/**
 * Serves a {@link DnsHandler} on a simulated namespace's UDP and TCP sockets: the embedded
 * resolver on 127.0.0.11's random ports, or the internet's authoritative server on port 53.
 */
public final class DnsService {
    private final UdpSocket udp;
    private final TcpServerSocket tcp;

    /**
     * Binds and starts serving.
     *
     * @param stack   the namespace's stack
     * @param addr    address to bind (0 for any)
     * @param udpPort UDP port, 0 for a random one
     * @param tcpPort TCP port, 0 for a random one
     * @param handler who answers
     * @param asker   the asker name passed to the handler
     */
    public DnsService(HostStack stack, int addr, int udpPort, int tcpPort, DnsHandler handler, String asker) {
        this.tcp = stack.tcpServer();
        tcp.bind(addr, tcpPort);
        tcp.listen(TcpServerSocket.SOMAXCONN, s -> connection(handler, asker));
        this.udp = stack.udp();
        udp.bind(addr, udpPort);
        udp.setListener(u -> {
            UdpSocket.Datagram d;
            while ((d = u.receive()) != null) {
                int src = d.sourceAddress();
                int sport = d.sourcePort();
                byte[] q = d.payload();
                handler.handle(q, 0, q.length, asker, DnsProto.UDP, 0, reply -> {
                    try {
                        u.sendTo(src, sport, reply, 0, reply.length);
                    } catch (RuntimeException e) {
                        // socket closed meanwhile: answer lost, as with a stopped resolver
                    }
                });
            }
        });
    }

    private static TcpSocket.Listener connection(DnsHandler handler, String asker) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        return new TcpSocket.Listener() {
            @Override
            public void onData(TcpSocket s) {
                byte[] b = s.readAll();
                buf.write(b, 0, b.length);
                byte[] all = buf.toByteArray();
                int off = 0;
                while (all.length - off >= 2) {
                    int len = ((all[off] & 0xff) << 8) | (all[off + 1] & 0xff);
                    if (all.length - off - 2 < len) {
                        break;
                    }
                    handler.handle(all, off + 2, len, asker, DnsProto.TCP, 0, reply -> {
                        byte[] framed = new byte[reply.length + 2];
                        framed[0] = (byte) (reply.length >>> 8);
                        framed[1] = (byte) reply.length;
                        System.arraycopy(reply, 0, framed, 2, reply.length);
                        s.write(framed);
                    });
                    off += 2 + len;
                }
                buf.reset();
                buf.write(all, off, all.length - off);
            }

            @Override
            public void onPeerClosed(TcpSocket s) {
                s.close();
            }
        };
    }

    /** The UDP port served. */
    public int udpPort() {
        return udp.localPort();
    }

    /** The TCP port served. */
    public int tcpPort() {
        return tcp.localPort();
    }

    /** Stops serving. */
    public void close() {
        udp.close();
        tcp.close();
    }
}
