package dev.simnet.scenarios.sim.apps;

import dev.simnet.host.HostStack;
import dev.simnet.host.SocketError;
import dev.simnet.host.TcpServerSocket;
import dev.simnet.host.TcpSocket;
import java.util.ArrayDeque;

/**
 * Docker's userland proxy ({@code docker-proxy}) for one published TCP port: listens on the host's
 * {@code hostIp:hostPort}, and for each connection opens a new one from the host namespace to the
 * container's {@code address:port}, copying bytes both ways. The container therefore sees the
 * bridge's gateway address as the client.
 */
public final class DockerProxy implements PortProxy {
    private final TcpServerSocket listener;

    /** Starts the proxy. */
    public DockerProxy(HostStack host, int hostIp, int hostPort, int containerAddr, int containerPort, int pid) {
        listener = host.tcpServer();
        listener.setOwner("docker-proxy", pid);
        // Go's net.Listen sets SO_REUSEADDR: a proxy started again binds while its last connections sit in TIME_WAIT
        listener.setReuseAddress(true);
        listener.bind(hostIp, hostPort);
        listener.listen(TcpServerSocket.SOMAXCONN, client -> {
            Pipe p = new Pipe();
            p.client = client;
            TcpSocket up = host.tcp();
            try {
                up.connect(containerAddr, containerPort, p.upstreamListener());
                p.upstream = up;
            } catch (SocketError e) {
                client.abort();
            }
            return p.clientListener();
        });
    }

    /** Stops listening. */
    @Override
    public void close() {
        listener.close();
    }

    private static final class Pipe {
        TcpSocket client;
        TcpSocket upstream;
        boolean upConnected;
        final ArrayDeque<byte[]> pending = new ArrayDeque<>();

        TcpSocket.Listener clientListener() {
            return new TcpSocket.Listener() {
                @Override
                public void onData(TcpSocket s) {
                    byte[] b = s.readAll();
                    if (upConnected) {
                        upstream.write(b);
                    } else {
                        pending.add(b);
                    }
                }

                @Override
                public void onPeerClosed(TcpSocket s) {
                    if (upstream != null && upConnected) {
                        upstream.shutdownOutput();
                    }
                    s.close();
                }

                @Override
                public void onError(TcpSocket s, int errno) {
                    if (upstream != null) {
                        upstream.abort();
                    }
                }
            };
        }

        TcpSocket.Listener upstreamListener() {
            return new TcpSocket.Listener() {
                @Override
                public void onConnected(TcpSocket s) {
                    upConnected = true;
                    while (!pending.isEmpty()) {
                        s.write(pending.poll());
                    }
                }

                @Override
                public void onData(TcpSocket s) {
                    client.write(s.readAll());
                }

                @Override
                public void onPeerClosed(TcpSocket s) {
                    client.shutdownOutput();
                    s.close();
                }

                @Override
                public void onError(TcpSocket s, int errno) {
                    client.abort();
                }
            };
        }
    }
}
