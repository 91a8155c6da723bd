package dev.simnet.scenarios.sim.apps;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Small helpers for HTTP responses: the RFC 7231 date and assembling a response. */
public final class Http {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private Http() {
    }

    /** An HTTP date for Unix seconds {@code epochSeconds}. */
    public static String date(long epochSeconds) {
        return DATE.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** Status line + header lines (each without CRLF) + body; HEAD requests get the head only. */
    public static byte[] response(String statusLine, String[] headers, byte[] body, boolean head) {
        StringBuilder sb = new StringBuilder(statusLine).append("\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("\r\n");
        byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (head || body.length == 0) {
            return h;
        }
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }
}
