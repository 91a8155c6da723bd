package dev.simnet.api;

import dev.simnet.linux.LinuxTopology;
import dev.simnet.linux.NetnsExecutor;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.linux.LinuxScenarioEngine;
import dev.simnet.scenarios.engine.tap.TapScenarioEngine;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * TCP and UDP flows on the real-kernel backends: real sockets, created (and connected) on a thread
 * that has entered the container's network namespace, so they live in that namespace; reads and
 * writes then run on the caller's thread, with the flow's timeouts as socket timeouts (wall time).
 */
final class KernelFlows {
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private KernelFlows() {
    }

    /** The namespace thread for {@code t} on a kernel backend's {@code engine}; null when the engine is not one. */
    static NetnsExecutor executor(ScenarioEngine engine, ExecTarget t) {
        LinuxTopology topo;
        boolean tap = false;
        if (engine instanceof TapScenarioEngine e) {
            topo = e.network().kernel();
            tap = true;
        } else if (engine instanceof LinuxScenarioEngine e) {
            topo = e.topology();
        } else {
            return null;
        }
        switch (t.kind()) {
            case CONTAINER:
                return topo.executor(t.container());
            case INTERNET:
                return topo.namespace(topo.internetNamespace()).executor();
            default:
                if (tap) {
                    throw new UnsupportedOperationException("on the tap backend the Docker host is the simulator's: "
                            + "flows from the host are not available");
                }
                return topo.namespace(topo.hostNamespace()).executor();
        }
    }

    private static InetSocketAddress remote(String addr, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Ipv4Bytes.of(addr)), port);
        } catch (IOException e) {
            throw new FlowException("EINVAL", "not an IPv4 address: " + addr);
        }
    }

    private static String endpoint(InetAddress a, int port) {
        return (a == null ? "0.0.0.0" : a.getHostAddress()) + ":" + port;
    }

    private static int millis(Duration timeout) {
        long ms = Math.max(1, timeout.toMillis());
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    static TcpFlow tcp(NetnsExecutor ex, String addr, int port) {
        InetSocketAddress to = remote(addr, port);
        Socket s = ex.call(() -> {
            Socket sock = new Socket();
            try {
                sock.connect(to, CONNECT_TIMEOUT_MS);
                return sock;
            } catch (IOException e) {
                closeQuietly(sock);
                throw connectFailure(e, addr + ":" + port);
            }
        });
        return new KernelTcp(s);
    }

    private static FlowException connectFailure(IOException e, String where) {
        String errno = e instanceof ConnectException && String.valueOf(e.getMessage()).contains("refused") ? "ECONNREFUSED"
                : e instanceof SocketTimeoutException ? "ETIMEDOUT"
                : e instanceof NoRouteToHostException ? "EHOSTUNREACH"
                : e instanceof ConnectException ? "ECONNREFUSED" : "EIO";
        return new FlowException(errno, "connect to " + where + " failed: " + e.getMessage());
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already gone
        }
    }

    static UdpFlow udp(NetnsExecutor ex, String addr, int port) {
        InetSocketAddress to = remote(addr, port);
        DatagramSocket s = ex.call(() -> {
            DatagramSocket sock = new DatagramSocket();
            try {
                sock.connect(to);
                return sock;
            } catch (IOException | RuntimeException e) {
                sock.close();
                throw new FlowException("EIO", "udp connect to " + addr + ":" + port + " failed: " + e.getMessage());
            }
        });
        return new KernelUdp(s);
    }

    /** Dotted-quad parsing without any name lookup. */
    private static final class Ipv4Bytes {
        static byte[] of(String addr) throws IOException {
            String[] p = addr.split("\\.", -1);
            if (p.length != 4) {
                throw new IOException(addr);
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v;
                try {
                    v = Integer.parseInt(p[i]);
                } catch (NumberFormatException e) {
                    throw new IOException(addr, e);
                }
                if (v < 0 || v > 255) {
                    throw new IOException(addr);
                }
                b[i] = (byte) v;
            }
            return b;
        }
    }

    /** A connected kernel TCP socket. */
    private static final class KernelTcp implements TcpFlow {
        private final Socket s;
        private final byte[] buf = new byte[65536];
        private boolean peerClosed;

        KernelTcp(Socket s) {
            this.s = s;
        }

        @Override
        public void write(byte[] data) {
            try {
                s.getOutputStream().write(data);
                s.getOutputStream().flush();
            } catch (IOException e) {
                throw new FlowException(s.isClosed() ? "EBADF" : "ECONNRESET", "write failed: " + e.getMessage());
            }
        }

        @Override
        public byte[] read(Duration timeout) {
            if (peerClosed) {
                return new byte[0];
            }
            try {
                s.setSoTimeout(millis(timeout));
                int n = s.getInputStream().read(buf);
                if (n < 0) {
                    peerClosed = true;
                    return new byte[0];
                }
                return Arrays.copyOf(buf, n);
            } catch (SocketTimeoutException e) {
                return new byte[0];
            } catch (IOException e) {
                throw new FlowException(s.isClosed() ? "EBADF" : "ECONNRESET", "read failed: " + e.getMessage());
            }
        }

        @Override
        public String readAll(Duration timeout) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            // a kernel backend runs in wall time: the deadline is real
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!peerClosed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                out.writeBytes(read(Duration.ofNanos(left)));
            }
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public boolean isPeerClosed() {
            return peerClosed;
        }

        @Override
        public String localEndpoint() {
            return endpoint(s.getLocalAddress(), s.getLocalPort());
        }

        @Override
        public String remoteEndpoint() {
            return endpoint(s.getInetAddress(), s.getPort());
        }

        @Override
        public void close() {
            closeQuietly(s);
        }
    }

    /** A connected kernel UDP socket. */
    private static final class KernelUdp implements UdpFlow {
        private final DatagramSocket s;
        private final byte[] buf = new byte[65536];

        KernelUdp(DatagramSocket s) {
            this.s = s;
        }

        @Override
        public void send(byte[] data) {
            try {
                s.send(new DatagramPacket(data, data.length));
            } catch (PortUnreachableException e) {
                throw new FlowException("ECONNREFUSED", "send failed: " + e.getMessage());
            } catch (IOException e) {
                throw new FlowException(s.isClosed() ? "EBADF" : "EIO", "send failed: " + e.getMessage());
            }
        }

        @Override
        public Optional<Datagram> receive(Duration timeout) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.setSoTimeout(millis(timeout));
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            } catch (PortUnreachableException e) {
                throw new FlowException("ECONNREFUSED", "receive failed: port unreachable");
            } catch (IOException e) {
                throw new FlowException(s.isClosed() ? "EBADF" : "EIO", "receive failed: " + e.getMessage());
            }
            return Optional.of(new Datagram(p.getAddress().getHostAddress(), p.getPort(),
                    Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength())));
        }

        @Override
        public String localEndpoint() {
            return endpoint(s.getLocalAddress(), s.getLocalPort());
        }

        @Override
        public void close() {
            s.close();
        }
    }
}
