package dev.simnet.scenarios.sim.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One parsed HTTP/1.x request head.
 *
 * @param method  {@code GET}, {@code HEAD}…
 * @param target  the request target ({@code /})
 * @param version {@code HTTP/1.1}
 * @param headers header lines as received, name and value
 * @param head    the raw request head text (request line and headers, CRLF separated)
 */
public record HttpRequest(String method, String target, String version, List<String[]> headers, String head) {
    /** The first header called {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /**
     * Whether the connection stays open after the response (RFC 9112 section 9.3, as nginx and httpd
     * decide it): HTTP/1.1 persists unless the client sends {@code Connection: close}; HTTP/1.0 closes
     * unless it sends {@code Connection: keep-alive}.
     */
    public boolean keepAlive() {
        String c = header("Connection");
        boolean close = false;
        boolean keep = false;
        if (c != null) {
            for (String token : c.split(",")) {
                String t = token.trim();
                close |= t.equalsIgnoreCase("close");
                keep |= t.equalsIgnoreCase("keep-alive");
            }
        }
        if (close) {
            return false;
        }
        return version.equals("HTTP/1.0") ? keep : version.startsWith("HTTP/1.");
    }

    /** Parses a head (without the final empty line); null when it is not HTTP. */
    public static HttpRequest parse(String head) {
        String[] lines = head.split("\r\n");
        String[] rl = lines[0].split(" ");
        if (rl.length != 3 || !rl[2].startsWith("HTTP/")) {
            return null;
        }
        List<String[]> hs = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                hs.add(new String[] {lines[i].substring(0, c), lines[i].substring(c + 1).trim()});
            }
        }
        return new HttpRequest(rl[0].toUpperCase(Locale.ROOT), rl[1], rl[2], hs, head);
    }
}
