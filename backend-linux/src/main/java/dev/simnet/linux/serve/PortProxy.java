package dev.simnet.linux.serve;

import dev.simnet.linux.NetnsExecutor;
import java.net.InetSocketAddress;

/** One {@code docker-proxy} in the Docker host namespace: Docker runs one per published port and protocol. */
public interface PortProxy extends AutoCloseable {
    /** Stops it: the sockets close and the host port is free again. */
    @Override
    void close();

    /** Starts the proxy of {@code protocol} ("tcp" or "udp") from {@code listen} in {@code ns} to {@code target}. */
    static PortProxy start(NetnsExecutor ns, String protocol, InetSocketAddress listen, InetSocketAddress target) {
        return switch (protocol) {
            case "tcp" -> TcpProxy.start(ns, listen, target);
            case "udp" -> UdpProxy.start(ns, listen, target);
            default -> throw new IllegalArgumentException("docker-proxy has no protocol " + protocol);
        };
    }
}
