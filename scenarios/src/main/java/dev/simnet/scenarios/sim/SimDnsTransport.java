package dev.simnet.scenarios.sim;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.dns.DnsProto;
import dev.simnet.dns.Upstream;
import dev.simnet.dns.UpstreamTransport;
import dev.simnet.host.HostStack;
import dev.simnet.host.SocketError;
import dev.simnet.host.TcpSocket;
import dev.simnet.host.UdpSocket;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * DNS exchanges over a simulated namespace's sockets: one connected UDP socket per query (a fresh
 * ephemeral port, as glibc and Docker's forwarder use), or a TCP connection with the RFC 1035
 * two-byte length prefix. ICMP port unreachable or a refused connection report "no reply" at once.
 */
public final class SimDnsTransport implements UpstreamTransport {
    private final HostStack stack;

    /** A transport sending from {@code stack}'s namespace. */
    public SimDnsTransport(HostStack stack) {
        this.stack = stack;
    }

    @Override
    public void exchange(Upstream server, DnsProto proto, byte[] query, Consumer<byte[]> onReply) {
        int addr;
        try {
            addr = Ipv4Address.parse(server.host()).bits();
        } catch (IllegalArgumentException e) {
            onReply.accept(null);
            return;
        }
        if (proto == DnsProto.UDP) {
            udp(addr, server.port(), query, onReply);
        } else {
            tcp(addr, server.port(), query, onReply);
        }
    }

    private void udp(int addr, int port, byte[] query, Consumer<byte[]> onReply) {
        UdpSocket s = stack.udp();
        boolean[] done = new boolean[1];
        try {
            s.connect(addr, port);
        } catch (SocketError e) {
            s.close();
            onReply.accept(null);
            return;
        }
        s.setListener(new UdpSocket.Listener() {
            @Override
            public void onReadable(UdpSocket u) {
                UdpSocket.Datagram d;
                while ((d = u.receive()) != null) {
                    if (!done[0]) {
                        done[0] = true;
                        u.close();
                        onReply.accept(d.payload());
                    }
                }
            }

            @Override
            public void onError(UdpSocket u, int errno) {
                if (!done[0]) {
                    done[0] = true;
                    u.close();
                    onReply.accept(null);
                }
            }
        });
        try {
            s.send(query);
        } catch (SocketError e) {
            done[0] = true;
            s.close();
            onReply.accept(null);
        }
        // a query whose answer never comes: the socket is closed after 30 s (the caller timed out long before)
        stack.scheduler().scheduleIn(30_000_000_000L, now -> {
            if (!done[0]) {
                done[0] = true;
                s.close();
            }
        });
    }

    private void tcp(int addr, int port, byte[] query, Consumer<byte[]> onReply) {
        TcpSocket s = stack.tcp();
        boolean[] done = new boolean[1];
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        try {
            s.connect(addr, port, new TcpSocket.Listener() {
                @Override
                public void onConnected(TcpSocket t) {
                    byte[] framed = new byte[query.length + 2];
                    framed[0] = (byte) (query.length >>> 8);
                    framed[1] = (byte) query.length;
                    System.arraycopy(query, 0, framed, 2, query.length);
                    t.write(framed);
                }

                @Override
                public void onData(TcpSocket t) {
                    byte[] b = t.readAll();
                    in.write(b, 0, b.length);
                    byte[] all = in.toByteArray();
                    if (all.length >= 2) {
                        int len = ((all[0] & 0xff) << 8) | (all[1] & 0xff);
                        if (all.length >= len + 2 && !done[0]) {
                            done[0] = true;
                            byte[] msg = new byte[len];
                            System.arraycopy(all, 2, msg, 0, len);
                            t.close();
                            onReply.accept(msg);
                        }
                    }
                }

                @Override
                public void onPeerClosed(TcpSocket t) {
                    t.close();
                    if (!done[0]) {
                        done[0] = true;
                        onReply.accept(null);
                    }
                }

                @Override
                public void onError(TcpSocket t, int errno) {
                    if (!done[0]) {
                        done[0] = true;
                        onReply.accept(null);
                    }
                }
            });
        } catch (SocketError e) {
            onReply.accept(null);
        }
    }
}
