package dev.simnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.demo.BridgeDemo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeDemoTest {
    @Test
    void demoPingsThreeTimesAndWritesAPcap(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        Path pcap = dir.resolve("demo.pcap");
        int replies = BridgeDemo.run(pcap, 1, new PrintStream(bo, true, StandardCharsets.UTF_8));
        String out = bo.toString(StandardCharsets.UTF_8);
        assertEquals(3, replies, out);
        assertTrue(out.contains("3 packets transmitted, 3 received, 0% packet loss"), out);
        assertTrue(out.contains("icmp_seq=1 ttl=64"), out);
        assertTrue(out.contains("ARP"), out);
        assertTrue(Files.size(pcap) > 24 + 10 * 16, "pcap has frames");
    }
}
