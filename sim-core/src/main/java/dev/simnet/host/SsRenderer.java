package dev.simnet.host;

import dev.simnet.addr.Ipv4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders sockets exactly as iproute2's {@code ss} (6.x) prints them to a pipe: columns
 * {@code Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process}, each as wide as
 * its widest cell plus its one-space left delimiter (addresses right-aligned, queue sizes as
 * {@code %-6d}), no spreading to a terminal width, trailing spaces kept; the Netid column only when
 * more than one protocol is selected; process cells as {@code users:(("cmd",pid=N,fd=M))}.
 * Numeric output only ({@code -n}): simnet has no services database.
 */
public final class SsRenderer {
    private SsRenderer() {
    }

    /** What to list, as ss's flags select it. */
    public record Options(boolean tcp, boolean udp, boolean listening, boolean all, boolean processes, boolean header) {
        /**
         * Parses short flags such as {@code "-tulnp"}, {@code "-tan"} or {@code "-lntu"}: t, u, l, a, n, p and H
         * (no header). Neither t nor u means both. Other letters throw {@link IllegalArgumentException}.
         */
        public static Options parse(String flags) {
            boolean t = false;
            boolean u = false;
            boolean l = false;
            boolean a = false;
            boolean p = false;
            boolean h = true;
            for (char c : flags.toCharArray()) {
                switch (c) {
                    case '-', ' ', 'n' -> {
                    }
                    case 't' -> t = true;
                    case 'u' -> u = true;
                    case 'l' -> l = true;
                    case 'a' -> a = true;
                    case 'p' -> p = true;
                    case 'H' -> h = false;
                    default -> throw new IllegalArgumentException("ss: unsupported option '" + c + "' in " + flags);
                }
            }
            if (!t && !u) {
                t = true;
                u = true;
            }
            return new Options(t, u, l, a, p, h);
        }
    }

    private static final String[] HEADERS = {"Netid", "State", "Recv-Q", "Send-Q", "Local Address:", "Port", "Peer Address:", "Port", "Process"};
    private static final String[] LDELIM = {"", " ", " ", " ", " ", "", " ", "", ""};
    private static final boolean[] RIGHT = {false, false, false, false, true, false, true, false, false};

    /** Renders with flags such as {@code "-tulnp"}. */
    public static String render(List<SocketInfo> sockets, String flags) {
        return render(sockets, Options.parse(flags));
    }

    /** Renders the selected sockets; every line ends with a newline. */
    public static String render(List<SocketInfo> sockets, Options o) {
        boolean showNetid = o.tcp() && o.udp();
        List<String[]> rows = new ArrayList<>();
        if (o.header()) {
            rows.add(HEADERS.clone());
        }
        // ss dumps UDP before TCP
        for (int pass = 0; pass < 2; pass++) {
            String want = pass == 0 ? "udp" : "tcp";
            if ((pass == 0 && !o.udp()) || (pass == 1 && !o.tcp())) {
                continue;
            }
            for (SocketInfo s : sockets) {
                if (!s.netid().equals(want) || !selected(s, o)) {
                    continue;
                }
                String peerPort = s.peerPort() == 0 ? "*" : Integer.toString(s.peerPort());
                String proc = o.processes() && s.owner() != null ? " users:(" + s.owner().ssUser() + ")" : "";
                rows.add(new String[] {
                    s.netid(), s.state().ssName(), String.format("%-6d", s.recvQ()), String.format("%-6d", s.sendQ()),
                    Ipv4Address.format(s.localAddress()) + ":", Integer.toString(s.localPort()),
                    Ipv4Address.format(s.peerAddress()) + ":", peerPort, proc,
                });
            }
        }
        int first = showNetid ? 0 : 1;
        int[] width = new int[HEADERS.length];
        boolean firstCol = true;
        for (int c = first; c < HEADERS.length; c++) {
            int max = 0;
            for (String[] r : rows) {
                max = Math.max(max, r[c].length());
            }
            width[c] = !firstCol && max > 0 ? max + LDELIM[c].length() : max;
            if (width[c] > 0) {
                firstCol = false;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            boolean started = false;
            for (int c = first; c < HEADERS.length; c++) {
                if (width[c] == 0) {
                    continue;
                }
                int printed = 0;
                if (started) {
                    sb.append(LDELIM[c]);
                    printed = LDELIM[c].length();
                }
                started = true;
                String t = r[c];
                if (RIGHT[c]) {
                    pad(sb, width[c] - t.length() - printed);
                    sb.append(t);
                } else {
                    sb.append(t);
                    pad(sb, width[c] - printed - t.length());
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static boolean selected(SocketInfo s, Options o) {
        if (o.all()) {
            return true;
        }
        TcpState st = s.state();
        if (o.listening()) {
            return st == TcpState.LISTEN || st == TcpState.CLOSED;
        }
        // default filter SS_CONN: everything but LISTEN, CLOSE, TIME-WAIT and SYN-RECV
        return st != TcpState.LISTEN && st != TcpState.CLOSED && st != TcpState.TIME_WAIT && st != TcpState.SYN_RECV;
    }

    private static void pad(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }
}
