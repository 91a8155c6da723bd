package dev.simnet.scenarios.sim.apps;

import dev.simnet.host.HostStack;
import dev.simnet.topology.PortPlan;

/**
 * One {@code docker-proxy} process of the simulated Docker host: Docker starts one per published port and
 * protocol when the userland proxy is on ({@link DockerProxy} for TCP, {@link DockerUdpProxy} for UDP).
 */
public interface PortProxy {
    /** Stops the proxy: its sockets close (a stopped container's ports are free again). */
    void close();

    /**
     * Starts the proxy for {@code port} on {@code host}, forwarding to {@code containerAddr}; {@code pid}
     * owns its sockets. Throws {@link dev.simnet.host.SocketError} when the host port is taken.
     */
    static PortProxy start(HostStack host, PortPlan port, int containerAddr, int pid) {
        return switch (port.protocol()) {
            case "tcp" -> new DockerProxy(host, port.hostIp().bits(), port.hostPort(), containerAddr, port.containerPort(), pid);
            case "udp" -> new DockerUdpProxy(host, port.hostIp().bits(), port.hostPort(), containerAddr, port.containerPort(), pid);
            default -> throw new IllegalArgumentException("docker-proxy has no protocol " + port.protocol());
        };
    }
}
