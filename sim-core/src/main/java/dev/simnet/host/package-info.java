/**
 * The host stack of a simulated namespace: UDP, TCP and ICMP echo sockets above the namespace's
 * IPv4 layer, with Linux's behaviour and defaults, plus {@code ss}/{@code netstat} renderings.
 *
 * <p>Seams: the IP layer implements {@link dev.simnet.host.IpOutput} and calls the stack through
 * {@link dev.simnet.host.TransportReceiver}; {@link dev.simnet.host.HostStack} implements the
 * latter ({@code Namespace.hostStack()} creates and installs one per namespace).
 *
 * <p>Threading: single-threaded on the scheduler. Application callbacks run from scheduler events
 * at the current virtual time, never inside packet processing, so they may call back into the
 * stack. Nothing reads a clock; ISNs, ephemeral ports and ping ids come from the stack's seeded stream.
 *
 * <pre>{@code
 * HostStack web = sim.ns("web").hostStack();
 * web.tcpServer().setOwner("nginx", 1).bind(0, 80).listen(511, conn -> new TcpSocket.Listener() {
 *     public void onData(TcpSocket s) { s.write(s.readAll()); }        // echo
 *     public void onPeerClosed(TcpSocket s) { s.close(); }
 * });
 * HostStack client = sim.ns("client").hostStack();
 * client.tcp().connect(Ipv4Address.parse("172.18.0.2"), 80, new TcpSocket.Listener() {
 *     public void onConnected(TcpSocket s) { s.write("GET / HTTP/1.0\r\n\r\n".getBytes()); }
 *     public void onData(TcpSocket s) { System.out.print(new String(s.readAll())); }
 *     public void onError(TcpSocket s, int errno) { System.out.println(Errno.message(errno)); }
 * });
 * sim.runFor(1_000_000_000L);
 * System.out.print(SsRenderer.render(web.sockets(), "-tulnp"));
 * }</pre>
 */
package dev.simnet.host;
