package dev.simnet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated web servers keep or close a connection as nginx and httpd do: HTTP/1.1 persists
 * unless the client sends {@code Connection: close}; HTTP/1.0 closes after the response unless the
 * client asks for {@code Connection: keep-alive}.
 */
class HttpConnectionTest {
    private SimnetHandle net;

    @BeforeEach
    void start() {
        net = Simnet.topology().project("http")
                .service("nginx", s -> s.image("nginx"))
                .service("apache", s -> s.image("httpd"))
                .service("client", s -> s.image("alpine"))
                .seed(3).start();
    }

    @AfterEach
    void stop() {
        net.close();
    }

    /** Reads one whole response (head and the Content-Length body) or whatever came before the peer closed. */
    private static String response(TcpFlow f) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int head = sb.indexOf("\r\n\r\n");
            if (head >= 0) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)Content-Length: (\\d+)").matcher(sb.substring(0, head));
                if (m.find() && sb.length() >= head + 4 + Integer.parseInt(m.group(1))) {
                    return sb.toString();
                }
            }
            byte[] b = f.read(Duration.ofSeconds(5));
            if (b.length == 0) {
                return sb.toString();
            }
            sb.append(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    /** True when the server keeps the connection: nothing more arrives, no FIN, and a second request is answered. */
    private static boolean staysOpen(TcpFlow f, String request) {
        byte[] more = f.read(Duration.ofSeconds(2));
        if (more.length != 0 || f.isPeerClosed()) {
            return false;
        }
        f.write(request);
        return response(f).startsWith("HTTP/1.1 200 OK");
    }

    private static boolean closes(TcpFlow f) {
        return f.read(Duration.ofSeconds(2)).length == 0 && f.isPeerClosed();
    }

    @Test
    void nginxClosesAnHttp10ConnectionWithoutKeepAlive() {
        try (TcpFlow f = net.connect("client", "nginx", 80)) {
            f.write("GET / HTTP/1.0\r\n\r\n");
            String r = response(f);
            assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
            assertTrue(r.contains("\r\nConnection: close\r\n"), r);
            assertTrue(closes(f), "nginx closed the HTTP/1.0 connection");
        }
    }

    @Test
    void nginxKeepsAnHttp10ConnectionThatAsksForKeepAlive() {
        String req = "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
        try (TcpFlow f = net.connect("client", "nginx", 80)) {
            f.write(req);
            String r = response(f);
            assertTrue(r.contains("\r\nConnection: keep-alive\r\n"), r);
            assertTrue(staysOpen(f, req));
        }
    }

    @Test
    void nginxKeepsHttp11OpenUntilConnectionClose() {
        try (TcpFlow f = net.connect("client", "nginx", 80)) {
            f.write("GET / HTTP/1.1\r\nHost: nginx\r\n\r\n");
            String r = response(f);
            assertTrue(r.contains("\r\nConnection: keep-alive\r\n"), r);
            assertTrue(staysOpen(f, "GET / HTTP/1.1\r\nHost: nginx\r\n\r\n"));
            f.write("GET /missing HTTP/1.1\r\nHost: nginx\r\nConnection: close\r\n\r\n");
            String last = response(f);
            assertTrue(last.startsWith("HTTP/1.1 404 Not Found\r\n"), last);
            assertTrue(last.contains("\r\nConnection: close\r\n"), last);
            assertTrue(closes(f), "nginx closed after Connection: close");
        }
    }

    @Test
    void httpdClosesHttp10AndKeepsHttp11() {
        try (TcpFlow f = net.connect("client", "apache", 80)) {
            f.write("GET / HTTP/1.0\r\n\r\n");
            String r = response(f);
            assertTrue(r.contains("\r\nConnection: close\r\nContent-Type: text/html\r\n"), r);
            assertTrue(closes(f), "httpd closed the HTTP/1.0 connection");
        }
        try (TcpFlow f = net.connect("client", "apache", 80)) {
            f.write("GET / HTTP/1.1\r\nHost: apache\r\n\r\n");
            String r = response(f);
            assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
            assertFalse(r.contains("Connection:"), "httpd names no connection option on a default persistent one: " + r);
            assertTrue(staysOpen(f, "GET / HTTP/1.1\r\nHost: apache\r\n\r\n"));
        }
        try (TcpFlow f = net.connect("client", "apache", 80)) {
            f.write("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String r = response(f);
            assertTrue(r.contains("\r\nKeep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\n"), r);
            assertEquals(true, staysOpen(f, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        }
    }
}
