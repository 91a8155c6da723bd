package dev.simnet.host;

import java.io.ByteArrayOutputStream;
import java.util.function.BiConsumer;

/**
 * Small ready-made applications on the socket API, so scenario code reads like ordinary code:
 * an echo server, a request/response client that collects the reply until the server closes, and a
 * UDP echo server. All run on the scheduler like any other socket code.
 */
public final class SocketApps {
    private SocketApps() {
    }

    /** A TCP echo server on {@code port} of every address (backlog 128), owned by {@code command}/{@code pid}. */
    public static TcpServerSocket tcpEchoServer(HostStack stack, int port, String command, int pid) {
        TcpServerSocket srv = stack.tcpServer().setOwner(command, pid).bind(0, port);
        srv.listen(128, s -> new TcpSocket.Listener() {
            private final Writer out = new Writer();

            @Override
            public void onData(TcpSocket c) {
                out.send(c, c.readAll());
            }

            @Override
            public void onWritable(TcpSocket c) {
                out.flush(c);
            }

            @Override
            public void onPeerClosed(TcpSocket c) {
                out.closeWhenFlushed(c);
            }
        });
        return srv;
    }

    /** A UDP echo server on {@code port}: every datagram goes back to its sender. */
    public static UdpSocket udpEchoServer(HostStack stack, int port, String command, int pid) {
        UdpSocket u = stack.udp().setOwner(command, pid).bind(0, port);
        byte[] buf = new byte[65536];
        u.setListener(s -> {
            int n;
            while ((n = s.receive(buf, 0, buf.length)) >= 0) {
                s.sendTo(s.lastSourceAddress(), s.lastSourcePort(), buf, 0, Math.min(n, buf.length));
            }
        });
        return u;
    }

    /**
     * Connects to {@code addr:port}, sends {@code request} (all of it, however small the send
     * buffer), half-closes if {@code halfClose}, and collects everything the server sends until it
     * closes. {@code done} gets the reply and 0, or what arrived so far and the errno (ECONNREFUSED,
     * ECONNRESET, ETIMEDOUT…).
     */
    public static TcpSocket request(HostStack stack, int addr, int port, byte[] request, boolean halfClose,
                                    BiConsumer<byte[], Integer> done) {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        Writer out = new Writer();
        return stack.tcp().connect(addr, port, new TcpSocket.Listener() {
            private boolean finished;

            @Override
            public void onConnected(TcpSocket s) {
                out.send(s, request);
                if (halfClose) {
                    out.shutdownWhenFlushed(s);
                }
            }

            @Override
            public void onWritable(TcpSocket s) {
                out.flush(s);
            }

            @Override
            public void onData(TcpSocket s) {
                reply.writeBytes(s.readAll());
            }

            @Override
            public void onPeerClosed(TcpSocket s) {
                reply.writeBytes(s.readAll());
                finish(0);
                s.close();
            }

            @Override
            public void onError(TcpSocket s, int errno) {
                finish(errno);
            }

            private void finish(int errno) {
                if (!finished) {
                    finished = true;
                    done.accept(reply.toByteArray(), errno);
                }
            }
        });
    }

    /**
     * A TCP relay like Docker's userland proxy ({@code docker-proxy}): accepts on
     * {@code listenAddr:listenPort} and, for each client, connects from this stack to
     * {@code targetAddr:targetPort} and copies bytes both ways. A half-close is passed on once the
     * bytes before it are written; when the backend cannot be reached the client connection is
     * closed (the client sees end of stream, as with docker-proxy); a reset on one side aborts the other.
     */
    public static TcpServerSocket tcpProxy(HostStack stack, int listenAddr, int listenPort, int targetAddr, int targetPort,
                                           String command, int pid) {
        TcpServerSocket srv = stack.tcpServer().setOwner(command, pid).bind(listenAddr, listenPort);
        srv.listen(TcpServerSocket.SOMAXCONN, client -> {
            Relay toBackend = new Relay();
            Relay toClient = new Relay();
            toBackend.other = toClient;
            toClient.other = toBackend;
            toClient.socket = client;
            TcpSocket backend = stack.tcp().setOwner(command, pid);
            toBackend.socket = backend;
            backend.connect(targetAddr, targetPort, toClient);
            return toBackend;
        });
        return srv;
    }

    /**
     * One direction of a relay: listens on the socket it reads from and writes to {@code other.socket}.
     * (Each Relay is the listener of the socket whose bytes it forwards to the other side.)
     */
    private static final class Relay implements TcpSocket.Listener {
        TcpSocket socket; // the socket this relay writes to
        Relay other;
        final Writer out = new Writer();
        boolean eof;

        @Override
        public void onData(TcpSocket from) {
            out.send(socket, from.readAll());
        }

        @Override
        public void onWritable(TcpSocket s) {
            // the side this listener hears became writable: flush what the other relay queued for it
            other.out.flush(s);
        }

        @Override
        public void onPeerClosed(TcpSocket from) {
            out.send(socket, from.readAll());
            eof = true;
            out.shutdownWhenFlushed(socket);
            if (other.eof) {
                from.close();
            }
        }

        @Override
        public void onClosed(TcpSocket s) {
            s.close();
        }

        @Override
        public void onError(TcpSocket from, int errno) {
            if (socket.state() == TcpState.CLOSED) {
                return;
            }
            if (errno == Errno.ECONNREFUSED || errno == Errno.ETIMEDOUT || errno == Errno.EHOSTUNREACH
                    || errno == Errno.ENETUNREACH) {
                socket.close(); // backend unreachable: close the client connection
            } else {
                socket.abort();
            }
        }
    }

    /** Queues bytes beyond the send buffer's size and feeds them in as space frees up. */
    static final class Writer {
        private byte[] pending = new byte[0];
        private int off;
        private boolean shutdown;
        private boolean close;

        void send(TcpSocket s, byte[] data) {
            if (off < pending.length) {
                byte[] merged = new byte[pending.length - off + data.length];
                System.arraycopy(pending, off, merged, 0, pending.length - off);
                System.arraycopy(data, 0, merged, pending.length - off, data.length);
                pending = merged;
            } else {
                pending = data;
            }
            off = 0;
            flush(s);
        }

        void flush(TcpSocket s) {
            if (off < pending.length && s.state() != TcpState.CLOSED) {
                off += s.write(pending, off, pending.length - off);
            }
            if (off == pending.length) {
                if (close) {
                    s.close();
                } else if (shutdown) {
                    s.shutdownOutput();
                }
            }
        }

        void shutdownWhenFlushed(TcpSocket s) {
            shutdown = true;
            flush(s);
        }

        void closeWhenFlushed(TcpSocket s) {
            close = true;
            flush(s);
        }
    }
}
