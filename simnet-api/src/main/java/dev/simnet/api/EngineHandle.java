package dev.simnet.api;

import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.docker.NetworkInfo;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.sim.SimEngine;
import dev.simnet.scenarios.steps.ScenarioRunner;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@link SimnetHandle} over the CLI's machinery: {@link DockerProject} decides (addresses,
 * names), the {@link ScenarioEngine} realises, {@link ScenarioRunner} performs commands and
 * topology changes exactly as {@code simnet run} does. Typed state, name resolution and flows read
 * the simulator's namespaces directly ({@link SimAccess}); other backends answer through their tools.
 */
final class EngineHandle implements SimnetHandle {
    private static final int TRANSCRIPT_OUTPUT_LIMIT = 4000;

    private final Backend backend;
    private final DockerProject project;
    private final ScenarioEngine engine;
    private final SimAccess sim;
    private final List<String> transcript = new ArrayList<>();
    private final List<AutoCloseable> flows = new ArrayList<>();
    private Path captureDir;
    private boolean closed;

    EngineHandle(Backend backend, DockerProject project, ScenarioEngine engine, Path captureDir) {
        this.backend = backend;
        this.project = project;
        this.engine = engine;
        this.captureDir = captureDir;
        this.sim = engine instanceof SimEngine s ? new SimAccess(s, project) : null;
        log("started project " + project.project() + " on " + backend.id() + " (seed " + seed() + ")"
                + (captureDir != null ? ", capturing into " + captureDir : ""));
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the simnet handle is closed");
        }
    }

    private void log(String s) {
        transcript.add(String.format(java.util.Locale.ROOT, "[t=%s] %s", formatTime(engine.now()), s));
    }

    private static String formatTime(long nanos) {
        return java.math.BigDecimal.valueOf(nanos).movePointLeft(9).setScale(3, java.math.RoundingMode.DOWN).toPlainString() + "s";
    }

    /** The engine's target for {@code t}; throws for unknown services and containers. */
    ExecTarget execTarget(Target t) {
        switch (t.kind()) {
            case HOST: return ExecTarget.host();
            case INTERNET: return ExecTarget.internet();
            case CONTAINER:
                if (project.container(t.container()).isEmpty()) {
                    throw new SimnetException("no container " + t.container() + " in project " + project.project()
                            + "; containers: " + containerNames());
                }
                return ExecTarget.container(t.container());
            default: {
                List<ContainerPlan> cs = project.containersOf(t.service());
                if (cs.isEmpty()) {
                    throw new SimnetException("no service " + t.service() + " in project " + project.project()
                            + "; services: " + project.compose().services().keySet());
                }
                if (t.replica() > cs.size()) {
                    throw new SimnetException("service " + t.service() + " has " + cs.size() + " replica(s), not " + t.replica());
                }
                return ExecTarget.container(cs.get(t.replica() - 1).name());
            }
        }
    }

    private List<String> containerNames() {
        List<String> out = new ArrayList<>();
        for (ContainerPlan c : project.plan().containers()) {
            out.add(c.name());
        }
        return out;
    }

    @Override
    public ExecResult exec(Target target, String... argv) {
        open();
        if (argv.length == 0) {
            throw new IllegalArgumentException("exec needs a command");
        }
        ExecTarget t = execTarget(target);
        dev.simnet.scenarios.engine.ExecResult r = ScenarioRunner.exec(project, engine, t, Arrays.asList(argv));
        log("exec [" + t + "] " + String.join(" ", argv) + " → exit " + r.exit()
                + clip(r.stdout(), "stdout") + clip(r.stderr(), "stderr"));
        return new ExecResult(r.exit(), r.stdout(), r.stderr());
    }

    private static String clip(String s, String what) {
        if (s.isEmpty()) {
            return "";
        }
        String body = s.length() > TRANSCRIPT_OUTPUT_LIMIT ? s.substring(0, TRANSCRIPT_OUTPUT_LIMIT) + "…(" + s.length()
                + " chars)\n" : s;
        return "\n  " + what + ":\n" + body.replaceAll("(?m)^", "    ").stripTrailing();
    }

    private SimAccess simOnly(String what) {
        if (sim == null) {
            throw new UnsupportedOperationException(what + " is available on the sim backend only for now (this handle runs on "
                    + backend.id() + ")");
        }
        return sim;
    }

    @Override
    public Resolution resolve(Target target, String name) {
        open();
        ExecTarget t = execTarget(target);
        Resolution r = sim != null ? sim.resolve(t, name) : ToolState.resolve(this, target, name);
        log("resolve [" + t + "] " + name + " → " + r.status() + " " + r.addresses());
        return r;
    }

    @Override
    public TcpFlow connect(Target from, String host, int port) {
        open();
        ExecTarget t = execTarget(from);
        String addr = address(from, t, host);
        try {
            dev.simnet.linux.NetnsExecutor ex = sim == null ? KernelFlows.executor(engine, t) : null;
            TcpFlow f = ex != null ? KernelFlows.tcp(ex, addr, port) : simOnly("TCP flows").tcp(t, addr, port);
            flows.add(f);
            log("tcp [" + t + "] connected " + f.localEndpoint() + " → " + f.remoteEndpoint()
                    + (addr.equals(host) ? "" : " (" + host + ")"));
            return f;
        } catch (FlowException e) {
            log("tcp [" + t + "] connect to " + host + ":" + port + " failed: " + e.getMessage());
            throw e;
        }
    }

    @Override
    public UdpFlow udp(Target from, String host, int port) {
        open();
        ExecTarget t = execTarget(from);
        String addr = address(from, t, host);
        dev.simnet.linux.NetnsExecutor ex = sim == null ? KernelFlows.executor(engine, t) : null;
        UdpFlow f = ex != null ? KernelFlows.udp(ex, addr, port) : simOnly("UDP flows").udp(t, addr, port);
        flows.add(f);
        log("udp [" + t + "] " + f.localEndpoint() + " → " + addr + ":" + port + (addr.equals(host) ? "" : " (" + host + ")"));
        return f;
    }

    private String address(Target from, ExecTarget t, String host) {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return host;
        }
        Resolution r = resolve(from, host);
        if (r.addresses().isEmpty()) {
            throw new FlowException("EAI_NONAME", host + " does not resolve from " + t + " (" + r.status() + ")");
        }
        return r.addresses().get(0);
    }

    @Override
    public void advance(Duration duration) {
        open();
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot go back in time: " + duration);
        }
        engine.advance(duration.toNanos());
        log("advanced " + duration);
    }

    @Override
    public Duration now() {
        return Duration.ofNanos(engine.now());
    }

    @Override
    public NamespaceState state(Target target) {
        open();
        ExecTarget t = execTarget(target);
        if (sim != null) {
            return sim.state(target, t);
        }
        // the Linux backend loads Docker's rules with iptables-restore (iptables-nft): iptables-save -c reads them
        return ToolState.state(this, target);
    }

    @Override
    public List<Container> containers() {
        List<Container> out = new ArrayList<>();
        for (ContainerPlan c : project.plan().containers()) {
            List<Endpoint> eps = new ArrayList<>();
            for (EndpointPlan e : c.endpoints()) {
                eps.add(new Endpoint(e.network(), e.ifname(), e.address().toString(), e.prefixLength(), e.mac().toString(),
                        e.aliases()));
            }
            boolean running = project.info(c.name()).map(i -> i.running()).orElse(false);
            out.add(new Container(c.name(), c.service(), c.replica(), running, c.hostname(), c.networkMode(), eps));
        }
        return out;
    }

    @Override
    public List<Network> networks() {
        List<Network> out = new ArrayList<>();
        for (NetworkInfo n : project.networks().values()) {
            NetworkPlan p = n.plan();
            out.add(new Network(p.name(), p.key(), p.subnet().toString(), p.gateway().toString(), p.bridgeName(), p.internal()));
        }
        return out;
    }

    @Override
    public Path capture(Path dir) {
        open();
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new SimnetException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        engine.capture(dir);
        captureDir = dir;
        log("capturing into " + dir);
        return dir;
    }

    @Override
    public Optional<Path> captureDirectory() {
        return Optional.ofNullable(captureDir);
    }

    private void change(String what, Runnable r) {
        open();
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            log(what + " failed: " + e.getMessage());
            throw new SimnetException(what + ": " + e.getMessage(), e);
        }
        log(what);
    }

    private void requireService(String service) {
        if (project.containersOf(service).isEmpty()) {
            throw new SimnetException("no service " + service + " in project " + project.project() + "; services: "
                    + project.compose().services().keySet());
        }
    }

    @Override
    public void stop(String service) {
        requireService(service);
        change("stop " + service, () -> ScenarioRunner.stop(project, engine, service, 0));
    }

    @Override
    public void start(String service) {
        requireService(service);
        change("start " + service, () -> ScenarioRunner.start(project, engine, service, 0));
    }

    @Override
    public void connect(String service, String network, String... aliases) {
        requireService(service);
        change("connect " + service + " to " + network,
                () -> ScenarioRunner.connect(project, engine, service, 1, network, List.of(aliases), null));
    }

    @Override
    public void disconnect(String service, String network) {
        requireService(service);
        change("disconnect " + service + " from " + network, () -> ScenarioRunner.disconnect(project, engine, service, 1, network));
    }

    @Override
    public void impair(Impairment i) {
        if (!i.uplink()) {
            requireService(i.service());
        }
        dev.simnet.scenarios.engine.Impairment e = new dev.simnet.scenarios.engine.Impairment(i.service(), i.replica(),
                i.network(), i.uplink(), i.delay().toNanos(), i.jitter().toNanos(), i.lossPercent(), i.duplicatePercent(),
                i.corruptPercent(), i.reorderPercent(), i.rateBitsPerSecond(), i.limitPackets(), false);
        change("impair " + e.link() + ": " + e.describe(), () -> engine.impair(e));
    }

    @Override
    public void clearImpairment(String service, String network) {
        requireService(service);
        dev.simnet.scenarios.engine.Impairment e = new dev.simnet.scenarios.engine.Impairment(service, 1, network, false,
                0, 0, 0, 0, 0, 0, 0, 1000, true);
        change("impair " + e.link() + ": clear", () -> engine.impair(e));
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public long seed() {
        return project.options().seed();
    }

    @Override
    public String project() {
        return project.project();
    }

    @Override
    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (AutoCloseable f : flows) {
            try {
                f.close();
            } catch (Exception e) {
                // the engine teardown below removes whatever the flow held
            }
        }
        flows.clear();
        try {
            engine.close();
        } catch (RuntimeException e) {
            first = e;
        }
        if (first != null) {
            throw new SimnetException("closing the " + backend.id() + " backend failed: " + first.getMessage(), first);
        }
    }
}
