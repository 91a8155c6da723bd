package dev.simnet.linux.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The PROXY protocol v1 line the relay sends before each connection's bytes. */
class ProxyLineTest {
    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void parsesSourceAndDestinationAndLeavesTheRestUnread() throws IOException {
        InputStream in = in("PROXY TCP4 172.18.0.2 172.18.0.3 40123 80\r\nGET / HTTP/1.1\r\n");
        InetSocketAddress[] a = ProxyLineTest.read(in);
        assertEquals("172.18.0.2", a[0].getAddress().getHostAddress());
        assertEquals(40123, a[0].getPort());
        assertEquals("172.18.0.3", a[1].getAddress().getHostAddress());
        assertEquals(80, a[1].getPort());
        assertEquals("GET / HTTP/1.1\r\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void malformedLinesAreRejected() throws IOException {
        assertNull(read(in("GET / HTTP/1.1\r\n\r\n")));
        assertNull(read(in("PROXY TCP4 172.18.0.2 172.18.0.3 40123 80\n")));            // no CR
        assertNull(read(in("PROXY TCP6 ::1 ::1 1 2\r\n")));
        assertNull(read(in("PROXY TCP4 172.18.0.2 172.18.0.3 40123\r\n")));             // a field short
        assertNull(read(in("PROXY TCP4 172.18.0.2 172.18.0.3 40123 65536\r\n")));       // port out of range
        assertNull(read(in("PROXY TCP4 999.1.1.1 172.18.0.3 1 2\r\n")));
        assertNull(read(in("PROXY TCP4 172.18.0.2 172.18.0.3 1 2")));                    // EOF before the end
        assertNull(read(in("PROXY " + "x".repeat(200) + "\r\n")));                       // longer than 107 bytes
    }

    private static InetSocketAddress[] read(InputStream in) throws IOException {
        return MiniHttpServer.readProxyLine(in);
    }
}
