package dev.simnet.scenarios.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Loaded;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simnet up}: a real TCP client on 127.0.0.1 reaches the simulated nginx through the published port. */
class UpServerTest {
    @Test
    void realClientReachesSimulatedNginx(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path f = dir.resolve("compose.yaml");
        Files.writeString(f, "name: up\nservices:\n  web:\n    image: nginx\n    ports: [\"" + port + ":80\"]\n");
        Loaded l = Loaded.load(f, null, 9L);
        SimEngine engine = new SimEngine(9L);
        engine.build(l.project().plan());
        UpServer server = new UpServer(engine);
        assertEquals(1, server.bindings().size());
        StringWriter log = new StringWriter();
        Thread t = new Thread(() -> server.run(new PrintWriter(log, true)), "up-test");
        t.start();
        try {
            String response = null;
            for (int attempt = 0; attempt < 50 && response == null; attempt++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    byte[] b = new byte[4096];
                    int n;
                    while ((n = in.read(b)) > 0) {
                        buf.write(b, 0, n);
                    }
                    response = buf.toString(StandardCharsets.UTF_8);
                } catch (java.net.ConnectException e) {
                    Thread.sleep(100);
                }
            }
            assertTrue(response != null && response.startsWith("HTTP/1.1 200 OK"), String.valueOf(response));
            assertTrue(response.contains("<title>Welcome to nginx!</title>"), response);
        } finally {
            server.stop();
            t.join(10_000);
            engine.close();
        }
        assertTrue(log.toString().contains("127.0.0.1:" + port + " -> up-web-1 (172.18.0.2:80)"), log.toString());
    }
}
