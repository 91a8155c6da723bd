package dev.simnet.scenarios.sim;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.host.SocketError;
import dev.simnet.host.TcpSocket;
import dev.simnet.sched.RealtimeRunner;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.PortPlan;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code simnet up}: runs a built {@link SimEngine} in wall-clock time ({@link RealtimeRunner}) and
 * binds each published TCP port on the real host's 127.0.0.1 with Netty. Every real connection is
 * carried into the simulation the way Docker's userland proxy carries it: a simulated TCP connection
 * from the Docker host namespace to the container's address and port, bytes copied both ways. So a
 * real {@code curl localhost:8080} reaches the simulated nginx, which sees the bridge gateway as the
 * client. {@link #stop()} (Ctrl-C) closes the listeners and ends the loop.
 */
public final class UpServer {
    private final SimEngine engine;
    private final RealtimeRunner runner;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Channel> listeners = new ArrayList<>();

    /** A server for {@code engine} (already built). */
    public UpServer(SimEngine engine) {
        this.engine = engine;
        this.runner = new RealtimeRunner(engine.simulation().scheduler());
    }

    /** One published port the server carries. */
    public record Binding(int hostPort, String container, Ipv4Address address, int containerPort) {
    }

    /** The TCP ports that will be bound on 127.0.0.1 (published on all addresses or on 127.0.0.1). */
    public List<Binding> bindings() {
        List<Binding> out = new ArrayList<>();
        for (ContainerPlan c : engine.plan().containers()) {
            if (!c.ownsNamespace() || c.ports().isEmpty()) {
                continue;
            }
            EndpointPlan ep = null;
            for (EndpointPlan e : c.endpoints()) {
                if (engine.plan().network(e.network()).map(n -> !n.internal()).orElse(false)) {
                    ep = e;
                    break;
                }
            }
            if (ep == null) {
                continue;
            }
            for (PortPlan p : c.ports()) {
                if (p.protocol().equals("tcp") && (p.hostIp().isAny() || p.hostIp().isLoopback())) {
                    out.add(new Binding(p.hostPort(), c.name(), ep.address(), p.containerPort()));
                }
            }
        }
        return out;
    }

    /** Binds the ports (printing each, or why it could not) and runs until {@link #stop()}. */
    public void run(PrintWriter out) {
        for (Binding b : bindings()) {
            try {
                Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel sc) {
                                sc.pipeline().addLast(new Carrier(b));
                            }
                        }).bind("127.0.0.1", b.hostPort()).sync().channel();
                listeners.add(ch);
                out.println("  127.0.0.1:" + b.hostPort() + " -> " + b.container() + " (" + b.address() + ":" + b.containerPort() + ")");
            } catch (Exception e) {
                out.println("  127.0.0.1:" + b.hostPort() + " not bound: " + e.getMessage());
            }
        }
        out.println("simnet: running in wall-clock time; Ctrl-C stops");
        out.flush();
        runner.runUntilStopped();
    }

    /** Closes every listener and ends {@link #run}. Callable from any thread. */
    public void stop() {
        for (Channel ch : listeners) {
            ch.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 200, java.util.concurrent.TimeUnit.MILLISECONDS).awaitUninterruptibly();
        runner.stop();
    }

    /** One real connection carried to the container; sim-side state touched only on the loop thread. */
    private final class Carrier extends ChannelInboundHandlerAdapter {
        private final Binding b;
        private TcpSocket sim;
        private boolean connected;
        private final ArrayDeque<byte[]> pending = new ArrayDeque<>();

        Carrier(Binding b) {
            this.b = b;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            runner.execute(() -> {
                sim = engine.hostNode().stack().tcp();
                try {
                    sim.connect(b.address().bits(), b.containerPort(), new TcpSocket.Listener() {
                        @Override
                        public void onConnected(TcpSocket s) {
                            connected = true;
                            while (!pending.isEmpty()) {
                                s.write(pending.poll());
                            }
                        }

                        @Override
                        public void onData(TcpSocket s) {
                            ch.writeAndFlush(Unpooled.wrappedBuffer(s.readAll()));
                        }

                        @Override
                        public void onPeerClosed(TcpSocket s) {
                            s.close();
                            ch.close();
                        }

                        @Override
                        public void onError(TcpSocket s, int errno) {
                            ch.close();
                        }
                    });
                } catch (SocketError e) {
                    ch.close();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            runner.execute(() -> {
                if (connected && sim != null) {
                    sim.write(bytes);
                } else {
                    pending.add(bytes);
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            runner.execute(() -> {
                if (sim != null) {
                    sim.close();
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
