package dev.simnet.scenarios.engine.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Main;
import dev.simnet.linux.LinuxBackend;
import dev.simnet.linux.serve.TcpRelayProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On {@code --backend linux} an image model's listening socket belongs to a process named as the
 * image's main process (nginx's master, whoami), not to the JVM; {@code docker compose stop} takes it
 * away and {@code start} brings it back, and the server still sees the real client address. After
 * {@code start} the client reaches the restarted web at once, although web came back with a new MAC and
 * the client's neighbour entry for it was still REACHABLE with the old one: as on Docker 28+, the
 * restarted interface sends three gratuitous ARPs, which update that entry.
 */
class ImageProcessKernelTest {
    private static final String COMPOSE = """
            name: relay
            services:
              web:
                image: nginx:1.27
              who:
                image: traefik/whoami
              client:
                image: alpine:3.20
                command: sleep infinity
            x-simnet:
              seed: 7
              steps:
                - name: nginx's master owns port 80, not java
                  exec: {service: web, cmd: "ss -Htlnp"}
                  expect:
                    exit: 0
                    regex: ['^LISTEN .* 0\\.0\\.0\\.0:80 .*users:\\(\\("nginx",pid=\\d+,fd=\\d+\\)\\)']
                - name: netstat names it as on a Docker host
                  exec: {service: web, cmd: "netstat -tlnp"}
                  expect:
                    exit: 0
                    regex: '^tcp\\s+0\\s+0 0\\.0\\.0\\.0:80\\s+0\\.0\\.0\\.0:\\*\\s+LISTEN\\s+\\d+/nginx: master'
                - name: the page
                  exec: {service: client, cmd: "curl -s web"}
                  expect: {exit: 0, contains: "<h1>Welcome to nginx!</h1>"}
                - name: whoami sees the client's own address and port
                  exec: {service: client, cmd: "curl -s --local-port 41000 who"}
                  expect: {exit: 0, regex: ['^RemoteAddr: 172\\.18\\.0\\.\\d+:41000$', '^Hostname: [0-9a-f]{12}$']}
                - name: whoami's process
                  exec: {service: who, cmd: "ss -Htlnp sport = :80"}
                  expect: {exit: 0, contains: '(("whoami",pid=', not_contains: java}
                - name: the process in lsns
                  exec: {host: true, cmd: "lsns -t net"}
                  expect: {exit: 0, contains: "nginx: master process nginx -g daemon off;"}
                - stop: {service: web}
                - name: gone with the container
                  exec: {host: true, cmd: "lsns -t net"}
                  expect: {exit: 0, not_contains: "nginx: master process"}
                - start: {service: web}
                - name: back after start
                  exec: {service: web, cmd: "curl -s 127.0.0.1"}
                  expect: {exit: 0, contains: "<h1>Welcome to nginx!</h1>"}
                - name: and owned by nginx again
                  exec: {service: web, cmd: "ss -Htlnp sport = :80"}
                  expect: {exit: 0, contains: '(("nginx",pid=', not_contains: java}
                - name: the client reaches the restarted web (its new MAC announced)
                  exec: {service: client, cmd: "curl -s -m 4 web"}
                  expect: {exit: 0, contains: "<h1>Welcome to nginx!</h1>"}
            """;

    @Test
    void modelProcessesOwnTheirSockets(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(LinuxBackend.isAvailable(), LinuxBackend.unavailabilityCause());
        Assumptions.assumeTrue(TcpRelayProcess.isAvailable(), "python3 not installed: models listen in the JVM");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, COMPOSE);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"run", "--ascii", "--backend", "linux", file.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, "report:\n" + out + "\nerrors:\n" + err);
        assertTrue(out.toString().contains("PASSED: 12/12 steps ok"), out.toString());
    }
}
