package dev.simnet.scenarios.sim.apps;

import dev.simnet.host.HostStack;
import dev.simnet.host.TcpServerSocket;
import dev.simnet.host.TcpSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 server on simulated sockets: one response per request head, the answer produced by a
 * {@link Responder} (nginx's welcome page, httpd's "It works!", whoami's echo…); the connection is
 * closed after a response when {@link HttpRequest#keepAlive()} says so (HTTP/1.0 without keep-alive,
 * {@code Connection: close}), and kept open otherwise.
 */
public final class HttpServerApp {
    /** Produces the full response bytes for a request that arrived on {@code s}. */
    @FunctionalInterface
    public interface Responder {
        /** The response (status line, headers, body). */
        byte[] respond(HttpRequest req, TcpSocket s);
    }

    private final List<TcpServerSocket> listeners = new ArrayList<>();

    /** Starts listening on {@code addr:port} for each port. */
    public HttpServerApp(HostStack stack, int addr, List<Integer> ports, String command, int pid, Responder responder) {
        for (int port : ports) {
            TcpServerSocket l = stack.tcpServer();
            if (pid > 0) {
                l.setOwner(command, pid);
            }
            l.bind(addr, port);
            l.listen(511, s -> connection(responder));
            listeners.add(l);
        }
    }

    private static TcpSocket.Listener connection(Responder responder) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        return new TcpSocket.Listener() {
            @Override
            public void onData(TcpSocket s) {
                byte[] b = s.readAll();
                buf.write(b, 0, b.length);
                String text = buf.toString(StandardCharsets.ISO_8859_1);
                int end;
                while ((end = text.indexOf("\r\n\r\n")) >= 0) {
                    String head = text.substring(0, end);
                    text = text.substring(end + 4);
                    HttpRequest req = HttpRequest.parse(head);
                    if (req == null) {
                        s.write(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        s.close();
                        return;
                    }
                    s.write(responder.respond(req, s));
                    if (!req.keepAlive()) {
                        s.close();
                        return;
                    }
                }
                buf.reset();
                byte[] rest = text.getBytes(StandardCharsets.ISO_8859_1);
                buf.write(rest, 0, rest.length);
            }

            @Override
            public void onPeerClosed(TcpSocket s) {
                s.close();
            }
        };
    }

    /** Stops listening. */
    public void close() {
        for (TcpServerSocket l : listeners) {
            l.close();
        }
    }
}
