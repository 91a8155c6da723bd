package dev.simnet.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.simnet.addr.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ss and netstat renderings compared with what iproute2-6.1.0 {@code ss} and net-tools
 * {@code netstat} printed (to a pipe) in a real namespace holding the same sockets: {@code nc -u -l 5353},
 * {@code nc -l 10.0.0.5 22}, {@code nc -l 8080} and a loopback connection to 8080.
 */
class SocketTableRenderTest {
    static int ip(String s) {
        return Ipv4Address.parseBits(s);
    }

    static final List<SocketInfo> REAL = List.of(
            new SocketInfo("udp", TcpState.CLOSED, 0, 0, 0, 5353, 0, 0, new SocketOwner("nc", 6737, 3)),
            new SocketInfo("tcp", TcpState.LISTEN, 0, 1, ip("10.0.0.5"), 22, 0, 0, new SocketOwner("nc", 6739, 3)),
            new SocketInfo("tcp", TcpState.LISTEN, 0, 1, 0, 8080, 0, 0, new SocketOwner("nc", 6735, 3)),
            new SocketInfo("tcp", TcpState.ESTABLISHED, 0, 0, ip("127.0.0.1"), 8080, ip("127.0.0.1"), 36014,
                    new SocketOwner("nc", 6735, 4)),
            new SocketInfo("tcp", TcpState.ESTABLISHED, 0, 0, ip("127.0.0.1"), 36014, ip("127.0.0.1"), 8080,
                    new SocketOwner("nc", 6745, 3)));

    @Test
    void ssTuln() {
        String real = ""
                + "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
                + "udp   UNCONN 0      0            0.0.0.0:5353      0.0.0.0:*          \n"
                + "tcp   LISTEN 0      1           10.0.0.5:22        0.0.0.0:*          \n"
                + "tcp   LISTEN 0      1            0.0.0.0:8080      0.0.0.0:*          \n";
        assertEquals(real, SsRenderer.render(REAL, "-tuln"));
    }

    @Test
    void ssTulnp() {
        String real = ""
                + "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                      \n"
                + "udp   UNCONN 0      0            0.0.0.0:5353      0.0.0.0:*    users:((\"nc\",pid=6737,fd=3))\n"
                + "tcp   LISTEN 0      1           10.0.0.5:22        0.0.0.0:*    users:((\"nc\",pid=6739,fd=3))\n"
                + "tcp   LISTEN 0      1            0.0.0.0:8080      0.0.0.0:*    users:((\"nc\",pid=6735,fd=3))\n";
        assertEquals(real, SsRenderer.render(REAL, "-tulnp"));
    }

    @Test
    void ssTunap() {
        String real = ""
                + "Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process                      \n"
                + "udp   UNCONN 0      0            0.0.0.0:5353       0.0.0.0:*     users:((\"nc\",pid=6737,fd=3))\n"
                + "tcp   LISTEN 0      1           10.0.0.5:22         0.0.0.0:*     users:((\"nc\",pid=6739,fd=3))\n"
                + "tcp   LISTEN 0      1            0.0.0.0:8080       0.0.0.0:*     users:((\"nc\",pid=6735,fd=3))\n"
                + "tcp   ESTAB  0      0          127.0.0.1:8080     127.0.0.1:36014 users:((\"nc\",pid=6735,fd=4))\n"
                + "tcp   ESTAB  0      0          127.0.0.1:36014    127.0.0.1:8080  users:((\"nc\",pid=6745,fd=3))\n";
        assertEquals(real, SsRenderer.render(REAL, "-tunap"));
    }

    @Test
    void ssTanWithoutNetidColumnAndWideQueues() {
        List<SocketInfo> s = List.of(REAL.get(1), REAL.get(2),
                new SocketInfo("tcp", TcpState.ESTABLISHED, 753081, 0, ip("127.0.0.1"), 8080, ip("127.0.0.1"), 36014, null),
                new SocketInfo("tcp", TcpState.ESTABLISHED, 0, 65536, ip("127.0.0.1"), 36014, ip("127.0.0.1"), 8080, null));
        String real = ""
                + "State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n"
                + "LISTEN 0      1           10.0.0.5:22         0.0.0.0:*           \n"
                + "LISTEN 0      1            0.0.0.0:8080       0.0.0.0:*           \n"
                + "ESTAB  753081 0          127.0.0.1:8080     127.0.0.1:36014       \n"
                + "ESTAB  0      65536      127.0.0.1:36014    127.0.0.1:8080        \n";
        assertEquals(real, SsRenderer.render(s, "-tan"));
    }

    @Test
    void ssWithoutHeader() {
        String real = ""
                + "udp UNCONN 0      0       0.0.0.0:5353 0.0.0.0:*\n"
                + "tcp LISTEN 0      1      10.0.0.5:22   0.0.0.0:*\n"
                + "tcp LISTEN 0      1       0.0.0.0:8080 0.0.0.0:*\n";
        assertEquals(real, SsRenderer.render(REAL, "-tulnH"));
    }

    @Test
    void netstatTulnp() {
        String real = ""
                + "Active Internet connections (only servers)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n"
                + "tcp        0      0 10.0.0.5:22             0.0.0.0:*               LISTEN      6739/nc             \n"
                + "tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      6735/nc             \n"
                + "udp        0      0 0.0.0.0:5353            0.0.0.0:*                           6737/nc             \n";
        assertEquals(real, NetstatRenderer.render(REAL, "-tulnp"));
    }

    @Test
    void netstatTuln() {
        String real = ""
                + "Active Internet connections (only servers)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
                + "tcp        0      0 10.0.0.5:22             0.0.0.0:*               LISTEN     \n"
                + "tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN     \n"
                + "udp        0      0 0.0.0.0:5353            0.0.0.0:*                          \n";
        assertEquals(real, NetstatRenderer.render(REAL, "-tuln"));
    }

    @Test
    void netstatTanpWithLargeQueues() {
        List<SocketInfo> s = List.of(REAL.get(1), REAL.get(2),
                new SocketInfo("tcp", TcpState.ESTABLISHED, 1163264, 0, ip("127.0.0.1"), 8080, ip("127.0.0.1"), 36014,
                        new SocketOwner("nc", 6735, 4)),
                new SocketInfo("tcp", TcpState.ESTABLISHED, 0, 737333, ip("127.0.0.1"), 36014, ip("127.0.0.1"), 8080,
                        new SocketOwner("nc", 6745, 3)));
        String real = ""
                + "Active Internet connections (servers and established)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n"
                + "tcp        0      0 10.0.0.5:22             0.0.0.0:*               LISTEN      6739/nc             \n"
                + "tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      6735/nc             \n"
                + "tcp   1163264      0 127.0.0.1:8080          127.0.0.1:36014         ESTABLISHED 6735/nc             \n"
                + "tcp        0 737333 127.0.0.1:36014         127.0.0.1:8080          ESTABLISHED 6745/nc             \n";
        assertEquals(real, NetstatRenderer.render(s, "-tanp"));
    }

    @Test
    void liveStackListsWhatItHolds() {
        TwoHosts net = new TwoHosts(30);
        net.b.stack.udp().setOwner("dnsmasq", 7).bind(0, 53);
        net.b.stack.tcpServer().setOwner("nginx", 1).bind(0, 80).listen(511, s -> new TcpSocket.Listener() { });
        TcpSocket c = net.a.stack.tcp().setOwner("curl", 9).connect(net.b.addr, 80, new TcpSocket.Listener() { });
        net.sched.runUntil(TwoHosts.ms(50));
        String expected = ""
                + "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess" + " ".repeat(24) + "\n"
                + "udp   UNCONN 0      0            0.0.0.0:53        0.0.0.0:*    users:((\"dnsmasq\",pid=7,fd=3))\n"
                + "tcp   LISTEN 0      511          0.0.0.0:80        0.0.0.0:*    users:((\"nginx\",pid=1,fd=3))  \n";
        assertEquals(expected, SsRenderer.render(net.b.stack.sockets(), "-tulnp"));
        String client = SsRenderer.render(net.a.stack.sockets(), "-tnp");
        assertEquals("State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess" + " ".repeat(21) + "\n"
                + "ESTAB 0      0           10.0.0.1:" + c.localPort() + "     10.0.0.2:80   users:((\"curl\",pid=9,fd=3))\n", client);
    }

    @Test
    void unknownFlagIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SsRenderer.render(REAL, "-tulnx"));
    }

    @Test
    void closedDescriptorsAreReusedLowestFirst() {
        TwoHosts net = new TwoHosts(31);
        UdpSocket a = net.a.stack.udp().setOwner("app", 5);
        UdpSocket b = net.a.stack.udp().setOwner("app", 5);
        assertEquals(3, a.owner().fd());
        assertEquals(4, b.owner().fd());
        a.close();
        assertEquals(3, net.a.stack.udp().setOwner("app", 5).owner().fd(), "like open(2), the lowest free descriptor");
        assertEquals(3, net.a.stack.udp().setOwner("other", 6).owner().fd(), "descriptors are per process");
    }

    @Test
    void netstatsProgramColumnIsPidSlashArgv0CutAt19() {
        // net-tools: snprintf("%s/%s", pid, argv0 or its basename when absolute) into a 20-byte buffer
        assertEquals("4113/nginx: master ", new SocketOwner("nginx", 4113, 6, "nginx: master process nginx -g daemon off;").netstatProgram());
        assertEquals("57501/nginx: master", new SocketOwner("nginx", 57501, 6, "nginx: master process nginx -g daemon off;").netstatProgram());
        assertEquals("812/dockerd", new SocketOwner("dockerd", 812, 9, "/usr/bin/dockerd").netstatProgram());
        assertEquals("77/redis-server *:6", new SocketOwner("redis-server", 77, 6, "redis-server *:6379").netstatProgram());
        assertEquals("9/./app", new SocketOwner("app", 9, 3, "./app").netstatProgram(), "only an absolute path is cut to its basename");
        assertEquals("5/nc", new SocketOwner("nc", 5, 3).netstatProgram(), "without a command line, the command name");
        assertEquals("(\"nginx\",pid=1,fd=6)", new SocketOwner("nginx", 4113, 6, "nginx: master").withPid(1).ssUser(), "ss shows comm");

        TwoHosts net = new TwoHosts(32);
        net.a.stack.setArgv0(4113, "nginx: master process nginx -g daemon off;");
        assertEquals("4113/nginx: master ", net.a.stack.udp().setOwner("nginx", 4113).owner().netstatProgram(),
                "sockets of a process whose argv0 was recorded carry it");
    }
}
