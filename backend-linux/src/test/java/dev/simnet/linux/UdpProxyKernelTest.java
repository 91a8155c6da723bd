package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simnet.linux.serve.PortProxy;
import dev.simnet.linux.serve.UdpProxy;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.TopologyPlan;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The kernel backend's UDP docker-proxy: from the Docker host's loopback a datagram reaches the container
 * from the bridge gateway's address, the echo comes back from the published port, and each client has a flow
 * of its own; after {@code close} the port is free.
 */
class UdpProxyKernelTest {
    @Test
    void relaysToTheContainerAndBack() throws Exception {
        Kernel.assumeAvailable();
        TopologyPlan plan = TestPlans.small();
        EndpointPlan ep = plan.container("t-web-1").orElseThrow().endpoints().get(0);
        String gateway = plan.network(ep.network()).orElseThrow().gateway().toString();
        LinuxTopology topo = LinuxBackend.build(plan, LinuxTopology.Options.linksOnly());
        List<String> sources = new CopyOnWriteArrayList<>();
        DatagramChannel echo = topo.executor("t-web-1").call(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(ep.address().toString(), 7000)));
        Thread echoer = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    b.clear();
                    InetSocketAddress from = (InetSocketAddress) echo.receive(b);
                    sources.add(from.getAddress().getHostAddress());
                    b.flip();
                    echo.send(b, from);
                }
            } catch (java.io.IOException e) {
                // closed: the test is over
            }
        }, "udp-echo");
        echoer.setDaemon(true);
        echoer.start();
        NetnsExecutor host = topo.namespace(topo.hostNamespace()).executor();
        PortProxy proxy = PortProxy.start(host, "udp", new InetSocketAddress("127.0.0.1", 5353),
                new InetSocketAddress(ep.address().toString(), 7000));
        try {
            for (String word : List.of("one", "two")) {
                String reply = host.call(() -> {
                    try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET)) {
                        c.socket().setSoTimeout(3000);
                        c.connect(new InetSocketAddress("127.0.0.1", 5353));
                        c.write(ByteBuffer.wrap(word.getBytes(StandardCharsets.US_ASCII)));
                        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[64], 64);
                        c.socket().receive(p); // connected: only a datagram from 127.0.0.1:5353 gets here
                        return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                    }
                });
                assertEquals(word, reply);
            }
            assertEquals(List.of(gateway, gateway), sources, "the container sees the gateway");
            assertEquals(2, ((UdpProxy) proxy).flows(), "a flow per client address and port");
        } finally {
            proxy.close();
            echo.close();
            topo.close();
        }
        assertEquals(0, ((UdpProxy) proxy).flows(), "close ends every flow");
    }
}
