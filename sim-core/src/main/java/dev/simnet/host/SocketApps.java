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
