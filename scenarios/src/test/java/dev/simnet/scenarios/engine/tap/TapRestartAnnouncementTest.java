package dev.simnet.scenarios.engine.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Main;
import dev.simnet.linux.LinuxTopology;
import dev.simnet.tap.TapBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On {@code --backend tap} a container's TAP announces itself as on Docker 28+: three gratuitous ARPs when
 * the run is built and three more when a stopped container is started again; simnet's bridge sees them all
 * (the capture of the userspace datapath, read with the real {@code tshark}), and the client reaches the
 * restarted web at once.
 */
class TapRestartAnnouncementTest {
    private static final String COMPOSE = """
            name: garp
            services:
              web:
                image: nginx:1.27
              client:
                image: alpine:3.20
                command: sleep infinity
            x-simnet:
              seed: 7
              steps:
                - name: the page
                  exec: {service: client, cmd: "curl -s -m 4 web"}
                  expect: {exit: 0, contains: "<h1>Welcome to nginx!</h1>"}
                - sleep: 2500ms
                - stop: {service: web}
                - start: {service: web}
                - name: the page right after start
                  exec: {service: client, cmd: "curl -s -m 4 web"}
                  expect: {exit: 0, contains: "<h1>Welcome to nginx!</h1>"}
                - sleep: 2500ms
            """;

    @Test
    void restartedContainerAnnouncesItselfAgain(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        Path tshark = Path.of("/usr/bin/tshark");
        Assumptions.assumeTrue(Files.isExecutable(tshark), "tshark is not installed (.ci/run installs it)");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, COMPOSE);
        Path pcap = dir.resolve("pcap");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"run", "--ascii", "--backend", "tap", "--pcap", pcap.toString(), file.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, "report:\n" + out + "\nerrors:\n" + err);
        assertTrue(out.toString().contains("PASSED: 6/6 steps ok"), out.toString());
        Path bridge;
        try (Stream<Path> files = Files.list(pcap)) {
            bridge = files.filter(p -> p.getFileName().toString().matches(".*-br-[0-9a-f]{12}\\.pcap")).findFirst().orElseThrow();
        }
        Process p = new ProcessBuilder(tshark.toString(), "-r", bridge.toString(), "-Y",
                "arp.opcode == 1 && arp.src.proto_ipv4 == arp.dst.proto_ipv4 && eth.dst == ff:ff:ff:ff:ff:ff",
                "-T", "fields", "-e", "arp.src.proto_ipv4", "-e", "arp.src.hw_mac").start();
        var r = LinuxTopology.collect(p, Duration.ofSeconds(30));
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, Integer> perSender = new TreeMap<>();
        Map<String, Map<String, Integer>> macsPerSender = new TreeMap<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                String[] f = line.strip().split("\t");
                perSender.merge(f[0], 1, Integer::sum);
                macsPerSender.computeIfAbsent(f[0], k -> new TreeMap<>()).merge(f.length > 1 ? f[1] : "?", 1, Integer::sum);
            }
        }
        // the client announced itself once (3), web at the build and again after its start (6)
        assertEquals(List.of(3, 6), perSender.values().stream().sorted().toList(), "gratuitous ARPs per sender: " + perSender);
        // and web came back with a new MAC (Docker 28+ makes one per sandbox): 3 announcements from each
        String web = perSender.entrySet().stream().filter(e -> e.getValue() == 6).findFirst().orElseThrow().getKey();
        assertEquals(List.of(3, 3), List.copyOf(macsPerSender.get(web).values()), "web's MACs: " + macsPerSender.get(web));
    }
}
