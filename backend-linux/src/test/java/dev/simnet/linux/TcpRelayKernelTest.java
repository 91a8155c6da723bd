package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.linux.serve.MiniHttpServer;
import dev.simnet.linux.serve.TcpRelayProcess;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The nginx model as the kernel backends run it: {@link TcpRelayProcess} named as nginx's master owns
 * the listening socket in a container namespace, {@link MiniHttpServer#startUnix} serves behind it.
 * Checked with the real {@code ss}, {@code netstat}, {@code curl} and {@code nc}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpRelayKernelTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String NGINX_CMDLINE = "nginx: master process nginx -g daemon off;";
    private LinuxTopology topo;
    private MiniHttpServer nginx;
    private TcpRelayProcess nginxRelay;
    private MiniHttpServer whoami;
    private TcpRelayProcess whoamiRelay;

    @BeforeAll
    void start() {
        Kernel.assumeAvailable();
        Assumptions.assumeTrue(TcpRelayProcess.isAvailable(), "python3 (or bash) not installed: the relay cannot run");
        topo = LinuxBackend.build(TestPlans.small(), LinuxTopology.Options.defaults().withDockerRules(false).withEmbeddedDns(false));
        Path dir = topo.runDirectory("relay");
        Path ngSock = dir.resolve("nginx.sock");
        nginx = MiniHttpServer.startUnix(ngSock, MiniHttpServer.Kind.NGINX, "web-2", List.of("172.18.0.3"));
        nginxRelay = TcpRelayProcess.start(topo, "t-web-2", NGINX_CMDLINE, "nginx", List.of(new InetSocketAddress(80)), ngSock);
        Path whoSock = dir.resolve("whoami.sock");
        whoami = MiniHttpServer.startUnix(whoSock, MiniHttpServer.Kind.WHOAMI, "web-2", List.of("172.18.0.3", "172.19.0.2"));
        whoamiRelay = TcpRelayProcess.start(topo, "t-web-2", "/whoami", "whoami",
                List.of(new InetSocketAddress(8081), new InetSocketAddress("127.0.0.1", 8082)), whoSock);
    }

    @AfterAll
    void stop() {
        if (topo == null) {
            return;
        }
        long pid = nginxRelay == null ? -1 : nginxRelay.pid();
        for (AutoCloseable c : new AutoCloseable[] {nginxRelay, nginx, whoamiRelay, whoami}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing the run removes the rest
            }
        }
        Path dir = topo.runDirectory("relay");
        try {
            String ss = topo.exec("t-web-2", T, "ss", "-Htln").stdout();
            assertFalse(ss.contains(":80 ") || ss.contains(":8081 "), "listener left after the relays closed:\n" + ss);
            assertFalse(pid > 0 && RunState.alive(pid, -1), "relay " + pid + " still running");
            assertFalse(Files.exists(dir.resolve("nginx.sock")), "unix socket file left");
        } finally {
            topo.close();
        }
        assertFalse(Files.exists(dir), "run directory left after close: " + dir);
    }

    @Test
    void ssAndNetstatNameNginxNotJava() {
        String ss = topo.exec("t-web-2", T, "ss", "-Htlnp").stdout();
        String line = lineWith(ss, "0.0.0.0:80 ");
        assertTrue(line.contains("users:((\"nginx\",pid=" + nginxRelay.pid() + ","), ss);
        assertFalse(line.contains("java"), ss);
        String netstat = topo.exec("t-web-2", T, "netstat", "-tlnp").stdout();
        assertTrue(netstat.matches("(?s).*\\ntcp\\s+0\\s+0 0\\.0\\.0\\.0:80\\s+0\\.0\\.0\\.0:\\*\\s+LISTEN\\s+"
                + nginxRelay.pid() + "/nginx: master.*"), netstat);
        assertFalse(lineWith(netstat, "0.0.0.0:80 ").contains("java"), netstat);
        // lsns and ps read the command line: exactly nginx's, without the interpreter's arguments
        assertEquals(NGINX_CMDLINE + "\0", read(Path.of("/proc", Long.toString(nginxRelay.pid()), "cmdline")));
        assertEquals("nginx\n", read(Path.of("/proc", Long.toString(nginxRelay.pid()), "comm")));
        // whoami's relay owns both of its addresses
        String who = topo.exec("t-web-2", T, "ss", "-Htlnp").stdout();
        assertTrue(lineWith(who, "0.0.0.0:8081 ").contains("users:((\"whoami\",pid=" + whoamiRelay.pid() + ","), who);
        assertTrue(lineWith(who, "127.0.0.1:8082 ").contains("\"whoami\""), who);
    }

    @Test
    void curlGetsTheWelcomePageAndHeadGetsHeadersOnly() {
        CommandResult get = topo.exec("t-web-1", T, "curl", "-sS", "--max-time", "10", "http://172.18.0.3/");
        assertEquals(0, get.exitCode(), get.stderr());
        assertEquals(MiniHttpServer.NGINX_WELCOME, get.stdout());
        CommandResult head = topo.exec("t-web-1", T, "curl", "-sSI", "--max-time", "10", "http://172.18.0.3/index.html");
        assertEquals(0, head.exitCode(), head.stderr());
        assertTrue(head.stdout().startsWith("HTTP/1.1 200 OK\r\n"), head.stdout());
        assertTrue(head.stdout().contains("Server: nginx/"), head.stdout());
        assertTrue(head.stdout().endsWith("\r\n\r\n"), "HEAD answered with a body: " + head.stdout());
        // several requests on one curl (keep-alive asked; the server closes after each, curl reconnects)
        CommandResult two = topo.exec("t-web-1", T, "curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-o", "/dev/null",
                "-w", "%{http_code} %{num_connects}\\n", "http://172.18.0.3/a", "http://172.18.0.3/b");
        assertEquals(0, two.exitCode(), two.stderr());
        assertEquals("200 1\n200 1\n", two.stdout());
    }

    @Test
    void theClientsHalfCloseReachesTheServerAndTheAnswerStillComesBack() {
        // nc -N shuts down its sending side after stdin's EOF: the request arrives, then the FIN
        CommandResult r = topo.exec("t-web-1", T, "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' | nc -N -w 10 172.18.0.3 80");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().startsWith("HTTP/1.1 200 OK\r\n"), r.stdout());
        assertTrue(r.stdout().endsWith("<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n"), r.stdout());
    }

    @Test
    void theServerSeesTheRealClientAddress() {
        CommandResult r = topo.exec("t-web-1", T, "curl", "-sS", "--max-time", "10", "--local-port", "40123",
                "http://172.18.0.3:8081/");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("\nRemoteAddr: 172.18.0.2:40123\n"), r.stdout());
        assertTrue(r.stdout().startsWith("Hostname: web-2\nIP: 172.18.0.3\nIP: 172.19.0.2\n"), r.stdout());
        CommandResult local = topo.exec("t-web-2", T, "curl", "-sS", "--max-time", "10", "--local-port", "40124",
                "http://127.0.0.1:8082/");
        assertEquals(0, local.exitCode(), local.stderr());
        assertTrue(local.stdout().contains("\nRemoteAddr: 127.0.0.1:40124\n"), local.stdout());
    }

    @Test
    void aPortInUseIsAClearError() {
        Path sock = topo.runDirectory("relay").resolve("clash.sock");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TcpRelayProcess.start(topo, "t-web-2",
                NGINX_CMDLINE, "nginx", List.of(new InetSocketAddress(9090), new InetSocketAddress(80)), sock));
        assertTrue(e.getMessage().contains("0.0.0.0:80") && e.getMessage().contains("Address already in use"), e.getMessage());
        // the failed relay is gone and took its first listener with it
        assertFalse(topo.exec("t-web-2", T, "ss", "-Htln").stdout().contains(":9090 "));
    }

    @Test
    void theRelayExitsWhenItsParentDies() throws Exception {
        // run the program under a bash that exits as soon as the relay is ready: the relay must follow
        Path prog = topo.runDirectory("relay").resolve("orphan.py");
        Files.writeString(prog, TcpRelayProcess.program("nginx", topo.runDirectory("relay").resolve("none.sock"),
                List.of(new InetSocketAddress(8090))));
        CommandResult r = topo.exec("t-db-1", T, "bash", "-c",
                "coproc " + TcpRelayProcess.python() + " " + prog + "; read -r line <&\"${COPROC[0]}\"; echo \"$COPROC_PID $line\"");
        assertEquals(0, r.exitCode(), r.stderr());
        String[] f = r.stdout().trim().split(" ");
        assertEquals("ready", f[1], r.stdout());
        long pid = Long.parseLong(f[0]);
        for (int i = 0; i < 100 && RunState.alive(pid, -1); i++) {
            Thread.sleep(50);
        }
        assertFalse(RunState.alive(pid, -1), "relay " + pid + " outlived its parent");
    }

    private static String lineWith(String text, String needle) {
        for (String l : text.split("\n")) {
            if (l.contains(needle)) {
                return l;
            }
        }
        throw new AssertionError("no line with '" + needle + "' in:\n" + text);
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
