package dev.simnet.host;

import static dev.simnet.host.TwoHosts.sec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocketAppsTest {
    @Test
    void requestToEchoServerGetsEveryByteBackEvenBeyondTheBuffers() {
        TwoHosts net = new TwoHosts(40);
        net.a.stack.setTcpBufferSizes(4096, 4096);
        net.b.stack.setTcpBufferSizes(4096, 4096);
        SocketApps.tcpEchoServer(net.b.stack, 7, "echo", 1);
        byte[] req = new byte[200_000];
        for (int i = 0; i < req.length; i++) {
            req[i] = (byte) (i * 13);
        }
        List<byte[]> replies = new ArrayList<>();
        List<Integer> errors = new ArrayList<>();
        SocketApps.request(net.a.stack, net.b.addr, 7, req, true, (reply, errno) -> {
            replies.add(reply);
            errors.add(errno);
        });
        net.sched.runUntil(sec(30));
        assertEquals(List.of(0), errors);
        assertArrayEquals(req, replies.get(0));
    }

    @Test
    void requestToAClosedPortReportsEconnrefused() {
        TwoHosts net = new TwoHosts(41);
        List<Integer> errors = new ArrayList<>();
        SocketApps.request(net.a.stack, net.b.addr, 7, new byte[] {1}, true, (reply, errno) -> errors.add(errno));
        net.sched.runUntil(sec(1));
        assertEquals(List.of(Errno.ECONNREFUSED), errors);
    }

    @Test
    void udpEchoServerAnswers() {
        TwoHosts net = new TwoHosts(42);
        SocketApps.udpEchoServer(net.b.stack, 7, "echo", 1);
        UdpSocket c = net.a.stack.udp().connect(net.b.addr, 7);
        c.send(new byte[] {4, 5, 6});
        net.sched.runUntil(sec(1));
        assertArrayEquals(new byte[] {4, 5, 6}, c.receive().payload());
    }
}
