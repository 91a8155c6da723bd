package dev.simnet.dns;

/**
 * One DNS server address: an IPv4 address in text and a port.
 *
 * @param host dotted-quad address
 * @param port UDP/TCP port (53 unless set)
 */
public record Upstream(String host, int port) {
    /** Parses {@code 1.2.3.4} or {@code 1.2.3.4:5353}. */
    public static Upstream parse(String s) {
        String t = s.trim();
        int colon = t.lastIndexOf(':');
        if (colon > 0 && t.indexOf(':') == colon) {
            return new Upstream(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
        }
        return new Upstream(t, 53);
    }

    @Override
    public String toString() {
        return port == 53 ? host : host + ":" + port;
    }
}
