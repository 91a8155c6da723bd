package dev.simnet.host;

import dev.simnet.addr.Ipv4Address;
import java.util.List;

/**
 * Renders sockets exactly as net-tools {@code netstat -tun[l|a][p]} prints them: the "Active
 * Internet connections" title, then {@code %-4s  %6d %6d %-23s %-23s %-11s} rows (and a 20-wide
 * {@code PID/Program name} column with {@code -p}, {@code -} for sockets without a process),
 * TCP before UDP. Numeric output only ({@code -n}).
 */
public final class NetstatRenderer {
    private NetstatRenderer() {
    }

    /** Renders with flags such as {@code "-tulnp"}, {@code "-tanp"}; t, u, l, a, n, p (neither t nor u means both). */
    public static String render(List<SocketInfo> sockets, String flags) {
        SsRenderer.Options o = SsRenderer.Options.parse(flags);
        StringBuilder sb = new StringBuilder();
        if (o.listening() && !o.all()) {
            sb.append("Active Internet connections (only servers)\n");
        } else if (o.all()) {
            sb.append("Active Internet connections (servers and established)\n");
        } else {
            sb.append("Active Internet connections (w/o servers)\n");
        }
        sb.append(String.format("Proto Recv-Q Send-Q %-23s %-23s %-11s", "Local Address", "Foreign Address", "State"));
        if (o.processes()) {
            sb.append(String.format(" %-20s", "PID/Program name"));
        }
        sb.append('\n');
        for (int pass = 0; pass < 2; pass++) {
            String want = pass == 0 ? "tcp" : "udp";
            if ((pass == 0 && !o.tcp()) || (pass == 1 && !o.udp())) {
                continue;
            }
            for (SocketInfo s : sockets) {
                if (!s.netid().equals(want) || !selected(s, o)) {
                    continue;
                }
                String local = Ipv4Address.format(s.localAddress()) + ":" + s.localPort();
                String remote = Ipv4Address.format(s.peerAddress()) + ":" + (s.peerPort() == 0 ? "*" : Integer.toString(s.peerPort()));
                String state = "udp".equals(want) ? (s.state() == TcpState.ESTABLISHED ? "ESTABLISHED" : "") : s.state().netstatName();
                // /proc/net/tcp gives a listener's tx_queue as 0 (ss shows the backlog there, netstat does not)
                long sendQ = s.state() == TcpState.LISTEN ? 0 : s.sendQ();
                sb.append(String.format("%-4s  %6d %6d %-23s %-23s %-11s", want, s.recvQ(), sendQ, local, remote, state));
                if (o.processes()) {
                    sb.append(String.format(" %-20s", s.owner() == null ? "-" : s.owner().netstatProgram()));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static boolean selected(SocketInfo s, SsRenderer.Options o) {
        if (o.all()) {
            return true;
        }
        boolean listening = s.state() == TcpState.LISTEN || ("udp".equals(s.netid()) && s.state() == TcpState.CLOSED);
        return o.listening() == listening;
    }
}
