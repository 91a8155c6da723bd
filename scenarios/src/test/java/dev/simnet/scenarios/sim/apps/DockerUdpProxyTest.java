package dev.simnet.scenarios.sim.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.host.HostStack;
import dev.simnet.host.SocketApps;
import dev.simnet.host.SocketError;
import dev.simnet.host.SsRenderer;
import dev.simnet.host.UdpSocket;
import dev.simnet.ns.Namespace;
import dev.simnet.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's UDP docker-proxy: a datagram to the host's published port reaches the container from the
 * gateway address, the reply comes back to the client from the port it asked, each client gets its own flow,
 * a flow without replies ends after moby's 90 s, and a container that does not listen is no error for the
 * client (the proxy swallows the ICMP port unreachable).
 */
class DockerUdpProxyTest {
    private static final long SEC = 1_000_000_000L;
    private static final int GATEWAY = Ipv4Address.parseBits("172.18.0.1");
    private static final int CONTAINER = Ipv4Address.parseBits("172.18.0.2");
    private static final int LOOPBACK = Ipv4Address.parseBits("127.0.0.1");

    private static Simulation hostAndContainer() {
        Simulation sim = new Simulation(5);
        Namespace host = sim.namespace("host");
        Namespace c = sim.namespace("c");
        sim.vethPair(host, "veth0", c, "eth0");
        sim.addAddress(host, "veth0", "172.18.0.1/16");
        sim.addAddress(c, "eth0", "172.18.0.2/16");
        sim.setUp(host, "veth0");
        sim.setUp(c, "eth0");
        return sim;
    }

    /** A client socket on {@code stack} collecting what it receives. */
    private static final class Client {
        final UdpSocket socket;
        final List<String> got = new ArrayList<>();
        final List<Integer> from = new ArrayList<>();

        Client(HostStack stack) {
            socket = stack.udp();
            socket.setListener(s -> {
                UdpSocket.Datagram d;
                while ((d = s.receive()) != null) {
                    got.add(new String(d.payload(), StandardCharsets.US_ASCII));
                    from.add(d.sourcePort());
                }
            });
        }
    }

    @Test
    void relaysBothWaysFromTheGatewayAddress() {
        Simulation sim = hostAndContainer();
        HostStack host = sim.ns("host").hostStack();
        HostStack c = sim.ns("c").hostStack();
        List<Integer> sources = new ArrayList<>();
        UdpSocket echo = c.udp().bind(0, 53);
        byte[] buf = new byte[2048];
        echo.setListener(s -> {
            int n;
            while ((n = s.receive(buf, 0, buf.length)) >= 0) {
                sources.add(s.lastSourceAddress());
                s.sendTo(s.lastSourceAddress(), s.lastSourcePort(), buf, 0, n);
            }
        });
        DockerUdpProxy proxy = new DockerUdpProxy(host, 0, 5353, CONTAINER, 53, 4242);
        Client one = new Client(host);
        Client two = new Client(host);
        one.socket.sendTo(LOOPBACK, 5353, "a".getBytes(StandardCharsets.US_ASCII), 0, 1);
        two.socket.sendTo(LOOPBACK, 5353, "b".getBytes(StandardCharsets.US_ASCII), 0, 1);
        one.socket.sendTo(LOOPBACK, 5353, "c".getBytes(StandardCharsets.US_ASCII), 0, 1);
        sim.runFor(SEC);
        assertEquals(List.of("a", "c"), one.got);
        assertEquals(List.of("b"), two.got);
        assertEquals(List.of(5353, 5353), one.from, "replies come from the published port");
        assertEquals(List.of(GATEWAY, GATEWAY, GATEWAY), sources, "the container sees the gateway");
        assertEquals(2, proxy.flows(), "one flow per client");
        String ss = SsRenderer.render(host.sockets(), "-ulnp");
        assertTrue(ss.contains("0.0.0.0:5353") && ss.contains("users:((\"docker-proxy\",pid=4242"), ss);

        // replies keep a flow; 90 s without one end it
        sim.runFor(60 * SEC);
        one.socket.sendTo(LOOPBACK, 5353, "d".getBytes(StandardCharsets.US_ASCII), 0, 1);
        sim.runFor(45 * SEC);
        assertEquals(1, proxy.flows(), "two's flow expired 90 s after its last reply; one's reply re-armed it");
        sim.runFor(50 * SEC);
        assertEquals(0, proxy.flows());

        proxy.close();
        UdpSocket again = host.udp();
        again.bind(0, 5353); // the port is free once the proxy is gone
        again.close();
    }

    @Test
    void aContainerThatDoesNotListenIsNoErrorForTheClient() {
        Simulation sim = hostAndContainer();
        HostStack host = sim.ns("host").hostStack();
        new DockerUdpProxy(host, 0, 5353, CONTAINER, 53, 4242);
        UdpSocket client = host.udp();
        client.connect(LOOPBACK, 5353);
        client.send(new byte[] {'X'});
        sim.runFor(SEC);
        client.send(new byte[] {'X'}); // nothing pending: the proxy took the ICMP error, not the client
        sim.runFor(SEC);
        assertEquals(0, client.takeError());

        // without a proxy the host's closed port refuses at once
        UdpSocket direct = host.udp();
        direct.connect(LOOPBACK, 5354);
        direct.send(new byte[] {'X'});
        sim.runFor(SEC);
        assertThrows(SocketError.class, () -> direct.send(new byte[] {'X'}));
    }

    @Test
    void aTakenPortIsRefused() {
        Simulation sim = hostAndContainer();
        HostStack host = sim.ns("host").hostStack();
        SocketApps.udpEchoServer(host, 5353, "other", 1);
        assertThrows(SocketError.class, () -> new DockerUdpProxy(host, 0, 5353, CONTAINER, 53, 4242));
    }
}
