package dev.simnet.host;

/**
 * One socket as the socket-listing tools see it (the fields of {@code ss -tuanp} and
 * {@code netstat -tuanp}): protocol, state, queue sizes, addresses and owning process.
 *
 * @param netid       {@code "tcp"} or {@code "udp"} (ping sockets are {@code "icmp"} and not listed by -t/-u)
 * @param state       the TCP state; UDP sockets are {@link TcpState#CLOSED} when unconnected and
 *                    {@link TcpState#ESTABLISHED} when connected, as the kernel reports them
 * @param recvQ       for LISTEN the accept-queue length, otherwise bytes waiting to be read
 * @param sendQ       for LISTEN the backlog, otherwise bytes not yet acknowledged (TCP) or queued (UDP)
 * @param owner       the owning process, or null (TIME-WAIT sockets and sockets without an owner)
 */
public record SocketInfo(String netid, TcpState state, long recvQ, long sendQ, int localAddress, int localPort,
                         int peerAddress, int peerPort, SocketOwner owner) {
    /** True for the sockets {@code -l} lists: TCP LISTEN and unconnected UDP. */
    public boolean listening() {
        return state == TcpState.LISTEN || ("udp".equals(netid) && state == TcpState.CLOSED);
    }
}
