package dev.simnet.topology;

import dev.simnet.addr.Ipv4Address;

/**
 * One published port ({@code -p 127.0.0.1:8080:80/tcp}).
 *
 * @param hostIp        host address bound, {@link Ipv4Address#ANY} for all
 * @param hostPort      the host port
 * @param containerPort the container port
 * @param protocol      {@code tcp} or {@code udp}
 */
public record PortPlan(Ipv4Address hostIp, int hostPort, int containerPort, String protocol) {
}
