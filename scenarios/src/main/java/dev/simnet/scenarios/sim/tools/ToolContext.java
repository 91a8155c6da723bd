package dev.simnet.scenarios.sim.tools;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.dns.DnsTimer;
import dev.simnet.dns.stub.HostsFile;
import dev.simnet.dns.stub.ResolvConf;
import dev.simnet.dns.stub.StubResolver;
import dev.simnet.dns.topology.SchedulerDnsTimer;
import dev.simnet.scenarios.sim.Node;
import dev.simnet.scenarios.sim.SimDnsTransport;
import dev.simnet.sched.Scheduler;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * What a running tool sees: its namespace ({@link Node}), the engine (for host-wide state), the
 * scheduler, its output streams and a stub resolver reading the namespace's resolv.conf and hosts.
 * The engine is a {@link ToolHost}: the simulator, or the TAP backend's wall-clock loop.
 */
public final class ToolContext {
    private final ToolHost engine;
    private final Node node;
    private final String where;
    private final SplittableRandom random;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private boolean done;
    private int exit;
    private final long startedAt;
    private final java.util.Map<String, String> files;

    /** The files this command sees (the namespace's generated files plus the container's bind mounts); writable. */
    public java.util.Map<String, String> files() {
        return files;
    }

    /** A context for one command in {@code node}. */
    public ToolContext(ToolHost engine, Node node, String where, SplittableRandom random, java.util.Map<String, String> files) {
        this.files = files;
        this.engine = engine;
        this.node = node;
        this.where = where;
        this.random = random;
        this.startedAt = engine.scheduler().now();
    }

    private boolean hostView;

    /** True when the command runs in the namespace but in the host's PID view ({@code nsenter --net} from the host). */
    public boolean hostView() {
        return hostView;
    }

    /** Sets {@link #hostView()}. */
    public void setHostView(boolean on) {
        this.hostView = on;
    }

    /** The engine the tool runs in. */
    public ToolHost engine() {
        return engine;
    }

    private Runnable onExit;

    /**
     * Runs {@code listener} once, on the thread that ends the command, when {@link #exit} is first
     * called (at once if it already was): the TAP backend's caller waits on it.
     */
    public void onExit(Runnable listener) {
        this.onExit = listener;
        if (done) {
            listener.run();
        }
    }

    /** The namespace the command runs in. */
    public Node node() {
        return node;
    }

    /** Container name, {@code host} or {@code internet}. */
    public String where() {
        return where;
    }

    /** The scheduler. */
    public Scheduler scheduler() {
        return engine.scheduler();
    }

    /** Current virtual time. */
    public long now() {
        return engine.scheduler().now();
    }

    /** When the command started. */
    public long startedAt() {
        return startedAt;
    }

    /** This command's own seeded random stream. */
    public SplittableRandom random() {
        return random;
    }

    /** Standard output. */
    public StringBuilder out() {
        return out;
    }

    /** Standard error. */
    public StringBuilder err() {
        return err;
    }

    /** Ends the command with {@code code} (later calls are ignored). */
    public void exit(int code) {
        if (!done) {
            done = true;
            exit = code;
            if (onExit != null) {
                onExit.run();
            }
        }
    }

    /** True once {@link #exit} was called. */
    public boolean done() {
        return done;
    }

    /** The exit code. */
    public int exitCode() {
        return exit;
    }

    /** Runs {@code task} after {@code delayNanos} of virtual time, unless the command has ended by then. */
    public void after(long delayNanos, Runnable task) {
        scheduler().scheduleIn(delayNanos, now -> {
            if (!done) {
                task.run();
            }
        });
    }

    /** A timer for the DNS code. */
    public DnsTimer dnsTimer() {
        return new SchedulerDnsTimer(scheduler());
    }

    /** A glibc-like stub resolver for this namespace. */
    public StubResolver resolver() {
        String rc = files.getOrDefault("/etc/resolv.conf", "");
        String hosts = files.getOrDefault("/etc/hosts", "");
        return new StubResolver(ResolvConf.parse(rc), HostsFile.parse(hosts), new SimDnsTransport(node.stack()), dnsTimer(),
                new SplittableRandom(random.nextLong()));
    }

    /** The address literal {@code s} as bits, or null when it is a name. */
    public static Integer literal(String s) {
        if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            return Ipv4Address.parse(s).bits();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Resolves {@code name} (an address literal directly) to its IPv4 addresses; the result is a {@link StubResolver.Result}. */
    public void resolve(String name, Consumer<StubResolver.Result> done) {
        Integer lit = literal(name);
        if (lit != null) {
            done.accept(new StubResolver.Result(StubResolver.Status.HOSTS, name, List.of(name), null));
            return;
        }
        if (name.equals("localhost")) {
            done.accept(new StubResolver.Result(StubResolver.Status.HOSTS, name, List.of("127.0.0.1"), null));
            return;
        }
        resolver().lookup(name, org.xbill.DNS.Type.A, done);
    }
}
