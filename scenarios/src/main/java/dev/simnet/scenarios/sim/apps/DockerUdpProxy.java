package dev.simnet.scenarios.sim.apps;

import dev.simnet.host.HostStack;
import dev.simnet.host.SocketError;
import dev.simnet.host.UdpSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * Docker's userland proxy for one published UDP port ({@code cmd/docker-proxy/udp_proxy.go}): listens on
 * {@code hostIp:hostPort}; the first datagram of each client address and port opens a socket of the proxy's
 * own, connected to the container's {@code address:port} (so the container sees the bridge gateway as the
 * source), and replies read there go back to that client from the listening socket. A client's socket is
 * closed when no reply has come for {@link #CONN_TRACK_TIMEOUT_NANOS} (a refused send, ICMP port
 * unreachable, is ignored until then, as moby's reply loop does).
 */
public final class DockerUdpProxy implements PortProxy {
    /** moby's {@code DefaultConnTrackTimeout}: 90 s without a reply ends a client's flow. */
    public static final long CONN_TRACK_TIMEOUT_NANOS = 90_000_000_000L;
    /** moby's {@code UDPBufSize}: the largest datagram relayed. */
    static final int BUF_SIZE = 65507;

    private final HostStack host;
    private final UdpSocket listener;
    private final int containerAddr;
    private final int containerPort;
    private final int pid;
    private final Map<Long, Flow> flows = new HashMap<>();
    private final byte[] buf = new byte[BUF_SIZE];
    private boolean closed;

    /** Starts the proxy; throws {@link SocketError} ({@code EADDRINUSE}) when the host port is taken. */
    public DockerUdpProxy(HostStack host, int hostIp, int hostPort, int containerAddr, int containerPort, int pid) {
        this.host = host;
        this.containerAddr = containerAddr;
        this.containerPort = containerPort;
        this.pid = pid;
        listener = host.udp();
        listener.setOwner("docker-proxy", pid);
        listener.bind(hostIp, hostPort);
        listener.setListener(s -> fromClients());
    }

    /** Client flows open now (for tests). */
    public int flows() {
        return flows.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close();
        for (Flow f : flows.values()) {
            f.end();
        }
        flows.clear();
    }

    private void fromClients() {
        while (!closed) {
            int n;
            try {
                n = listener.receive(buf, 0, buf.length);
            } catch (SocketError e) {
                continue; // an ICMP error queued on the listener: recvfrom reports and clears it
            }
            if (n < 0) {
                return;
            }
            int addr = listener.lastSourceAddress();
            int port = listener.lastSourcePort();
            long key = (addr & 0xffffffffL) << 16 | port;
            Flow f = flows.get(key);
            if (f == null) {
                f = new Flow(key, addr, port);
                flows.put(key, f);
            }
            try {
                f.up.send(buf, 0, Math.min(n, BUF_SIZE));
            } catch (SocketError e) {
                // unreachable or refused: dropped, as a failed write in the proxy
            }
        }
    }

    /** One client's flow: a socket connected to the container, closed after the reply timeout. */
    private final class Flow {
        final long key;
        final int clientAddr;
        final int clientPort;
        final UdpSocket up;
        long deadline;

        Flow(long key, int clientAddr, int clientPort) {
            this.key = key;
            this.clientAddr = clientAddr;
            this.clientPort = clientPort;
            up = host.udp();
            up.setOwner("docker-proxy", pid);
            up.connect(containerAddr, containerPort);
            up.setListener(s -> fromContainer());
            arm();
        }

        /** (Re)starts the read deadline, as each {@code SetReadDeadline} before a read does. */
        private void arm() {
            if (deadline != 0) {
                host.scheduler().cancel(deadline);
            }
            deadline = host.scheduler().scheduleIn(CONN_TRACK_TIMEOUT_NANOS, now -> expire());
        }

        private void expire() {
            deadline = 0;
            flows.remove(key, this);
            end();
        }

        private void fromContainer() {
            while (!closed) {
                int n;
                try {
                    n = up.receive(buf, 0, buf.length);
                } catch (SocketError e) {
                    continue; // ECONNREFUSED from an earlier send: ignored until the timeout
                }
                if (n < 0) {
                    return;
                }
                arm();
                try {
                    listener.sendTo(clientAddr, clientPort, buf, 0, n);
                } catch (SocketError e) {
                    // the client is gone: the reply is lost
                }
            }
        }

        void end() {
            if (deadline != 0) {
                host.scheduler().cancel(deadline);
                deadline = 0;
            }
            up.close();
        }
    }
}
