package dev.simnet.scenarios.engine.tap;

import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.linux.LinuxScenarioEngine;
import dev.simnet.scenarios.sim.Node;
import dev.simnet.scenarios.sim.TextFilters;
import dev.simnet.scenarios.sim.tools.Tool;
import dev.simnet.scenarios.sim.tools.ToolContext;
import dev.simnet.scenarios.sim.tools.ToolHost;
import dev.simnet.scenarios.sim.tools.Tools;
import dev.simnet.sched.Scheduler;
import dev.simnet.sim.Simulation;
import dev.simnet.tap.TapNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The shell of the TAP backend's Docker host, whose namespace is simnet's engine: a command runs as
 * the simulator's own tool ({@code curl}, {@code nc}, {@code ping}, {@code dig}, {@code nslookup},
 * {@code ip}, {@code ss}, {@code iptables -S}, {@code conntrack -L} …, see {@link Tools}) on the
 * engine's loop, against the host's simulated stack and netfilter, in wall-clock time: the caller
 * waits until the tool exits (its own timeouts run on the engine's clock), at most
 * {@link #TIMEOUT}. {@code lsns} and {@code nsenter} look at the container namespaces, which are
 * real here, so they run on the kernel as on {@code --backend linux}. Pipelines and {@code sudo}
 * behave as on every backend ({@link TextFilters}).
 *
 * <p>Thread-safe: several commands may run at once (each is its own tool on the loop).
 */
final class TapHostShell {
    /** Longest a host command may run (wall clock). */
    static final Duration TIMEOUT = LinuxScenarioEngine.EXEC_TIMEOUT;

    private final TapNetwork net;
    private final LinuxScenarioEngine kernel;
    private final Map<String, Tool> tools = Tools.registry();
    private final Node host;
    private final ToolHost toolHost;
    private int execCount; // loop thread only

    TapHostShell(TapNetwork net, LinuxScenarioEngine kernel) {
        this.net = net;
        this.kernel = kernel;
        Scheduler scheduler = net.onLoop(Simulation::scheduler);
        this.host = Node.dockerHost(net.hostNamespace(), net.hostStack(), net.netfilter(), net.plan().hostUpstreams());
        this.toolHost = new ToolHost() {
            @Override
            public Scheduler scheduler() {
                return scheduler;
            }

            @Override
            public int hostPid(String container) {
                return 0; // only asked for tools inside a container, which run on the kernel here
            }
        };
    }

    /** Runs {@code argv} (a pipeline, possibly {@code sh -c "…"}) on the simulated host. */
    ExecResult exec(List<String> argv) {
        List<String> args = argv;
        if (args.size() >= 3 && (args.get(0).equals("sh") || args.get(0).equals("bash")) && args.get(1).equals("-c")) {
            args = Argv.split(args.get(2));
        }
        return TextFilters.pipeline(args, false, this::runOne);
    }

    private ExecResult runOne(List<String> command) {
        List<String> argv = TextFilters.withoutSudo(command);
        if (argv.isEmpty()) {
            return ExecResult.fail(126, "");
        }
        String cmd = argv.get(0);
        String base = cmd.substring(cmd.lastIndexOf('/') + 1);
        if (base.equals("lsns") || base.equals("nsenter")) {
            return kernel.runOne(ExecTarget.host(), argv);
        }
        Tool tool = tools.get(base);
        if (tool == null) {
            return new ExecResult(127, "", "sh: 1: " + cmd + ": not found (the TAP backend's Docker host is simulated: it runs "
                    + "the simulator's tools — " + String.join(", ", tools.keySet()) + " — and the real lsns and nsenter)\n");
        }
        List<String> fargs = new ArrayList<>(argv);
        fargs.set(0, base);
        return run(tool, fargs);
    }

    /** Starts {@code tool} on the engine's loop and waits (wall clock) for it to exit. */
    private ExecResult run(Tool tool, List<String> argv) {
        CompletableFuture<ExecResult> done = new CompletableFuture<>();
        ToolContext ctx = net.onLoop(s -> {
            ToolContext c = new ToolContext(toolHost, host, "host", s.streams().stream("tap/host-exec/" + (++execCount)),
                    new LinkedHashMap<>(host.files()));
            // the result is taken on the loop, as the tool exits: late callbacks cannot change it
            c.onExit(() -> done.complete(new ExecResult(c.exitCode(), c.out().toString(), c.err().toString())));
            Tools.launch(tool, c, argv);
            return c;
        });
        try {
            return done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            net.onLoop(s -> {
                ctx.err().append(argv.get(0)).append(": still running after ").append(TIMEOUT.toSeconds()).append(" s; stopped\n");
                ctx.exit(124);
                return null;
            });
            return done.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExecResult.fail(130, argv.get(0) + ": interrupted\n");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
