package dev.simnet.cli;

import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.compose.ComposeException;
import dev.simnet.scenarios.docker.Json;
import dev.simnet.scenarios.docker.PlanReport;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.RuleSetRenderer;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.ScenarioEngineProvider;
import dev.simnet.scenarios.steps.ReportPrinter;
import dev.simnet.scenarios.steps.ScenarioRunner;
import dev.simnet.topology.ContainerPlan;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code simnet} command line: {@code run}, {@code exec}, {@code inspect}, {@code trace},
 * {@code up}, {@code down}, {@code version}. Exit codes: 0 success, 1 a failed expectation (or the
 * exit code of the command for {@code exec}), 2 a bad file or bad usage — always a one-line error,
 * never a stack trace.
 */
@Command(name = "simnet", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Runs docker compose files in a packet-level simulation of Docker and Linux networking.", "",
                "Point it at a compose file as it is; simnet builds the networks, namespaces, addresses, DNS names, "
                        + "NAT rules and published ports Docker would, and runs commands inside the containers.", ""},
        footer = {"", "Examples:",
                "  simnet inspect scenarios/examples/article-default/compose.yaml",
                "  simnet run scenarios/examples/article-default/compose.yaml",
                "  simnet exec compose.yaml nginx_a -- curl -s nginx_b",
                "  simnet exec --host compose.yaml -- docker network inspect myproj_default", "",
                "Exit codes: 0 ok, 1 an expectation failed (run), 2 a bad file or usage;", "exec and trace exit with the command's own exit code."},
        subcommands = {Main.Run.class, Main.Exec.class, Main.Inspect.class, Main.Trace.class, Main.Up.class,
                Main.Down.class, Main.VersionCmd.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** Exit code for a bad file or bad usage. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a failed expectation. */
    public static final int EXIT_FAILED = 1;
    /** The version string. */
    public static final String VERSION = "simnet 0.1.0-SNAPSHOT (models Docker Engine 29, docker compose 2.40, Linux 6.x)";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EXIT_USAGE;
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the CLI with the given streams and returns the exit code (for tests and embedding). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The configured picocli command line. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // after FILE, everything belongs to the command: `simnet exec FILE web curl -s x` needs no `--`
        cl.getSubcommands().get("exec").setStopAtPositional(true);
        cl.getSubcommands().get("trace").setStopAtPositional(true);
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            PrintWriter e = cmd.getErr();
            if (ex instanceof ComposeException || ex instanceof UsageError) {
                e.println("simnet: " + ex.getMessage());
            } else {
                e.println("simnet: internal error: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            }
            e.flush();
            return EXIT_USAGE;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("simnet: " + ex.getMessage());
            e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            e.flush();
            return EXIT_USAGE;
        });
        return cl;
    }

    /** A one-line usage problem (exit 2). */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String msg) {
            super(msg);
        }
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {VERSION};
        }
    }

    /** Options every project command shares. */
    static class ProjectOptions {
        @Option(names = "--seed", paramLabel = "N", description = "Seed for everything random (ids, MACs, timers, loss). Overrides x-simnet.seed.")
        Long seed;

        @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "Project name (default: the file's 'name:' or its folder's name).")
        String projectName;

        @Option(names = "--backend", paramLabel = "sim|linux|tap", defaultValue = "sim",
                description = "Where to run: sim (the simulator, default), linux (real namespaces; root), tap (simulator bridged to TAP devices).")
        String backend;

        void checkBackend() {
            if (!List.of("sim", "linux", "tap").contains(backend)) {
                throw new UsageError("unknown backend \"" + backend + "\" (expected sim, linux or tap)");
            }
        }
    }

    static Path existing(Path file) {
        if (!Files.exists(file)) {
            throw new UsageError(file + ": no such file");
        }
        return file;
    }

    /** Test seam: when set, used instead of the {@link ScenarioEngineProvider} lookup. */
    static java.util.function.BiFunction<String, Long, ScenarioEngine> engineOverride;

    static ScenarioEngine engine(String backend, long seed) {
        if (engineOverride != null) {
            return engineOverride.apply(backend, seed);
        }
        ScenarioEngineProvider p = ScenarioEngineProvider.find(backend).orElseThrow(() -> new UsageError(
                "the '" + backend + "' backend is not available in this build yet (its execution engine is not "
                        + "integrated); 'simnet inspect FILE' and 'simnet exec --host FILE -- docker …' work without it"));
        String cause = p.unavailabilityCause();
        if (cause != null) {
            throw new UsageError("the '" + backend + "' backend cannot run here: " + cause);
        }
        return p.create(seed);
    }

    // ------------------------------------------------------------------------------------------ run

    /** {@code simnet run FILE}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Builds the project, runs the steps of its x-simnet block and checks every expectation.",
                    "Exit 0 when all hold, 1 when one fails, 2 for a bad file."})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The compose file (with an x-simnet block or a FILE.simnet.yaml next to it).")
        Path file;

        @CommandLine.Mixin
        ProjectOptions common;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Option(names = "--ascii", description = "Use OK/FAIL instead of ✓/✗.")
        boolean ascii;

        @Option(names = "--pcap", paramLabel = "DIR", description = "Write packet captures (pcap) into DIR.")
        Path pcap;

        @Override
        public Integer call() {
            common.checkBackend();
            Loaded l = Loaded.load(existing(file), common.projectName, common.seed);
            PrintWriter out = spec.commandLine().getOut();
            ReportPrinter printer = new ReportPrinter(ascii);
            if (l.spec().steps().isEmpty()) {
                spec.commandLine().getErr().println("simnet: " + file + " has no x-simnet steps; nothing to run "
                        + "(try 'simnet inspect " + file + "')");
            }
            try (ScenarioEngine engine = engine(common.backend, l.project().options().seed())) {
                if (pcap != null) {
                    try {
                        Files.createDirectories(pcap);
                    } catch (java.io.IOException e) {
                        throw new UsageError("cannot create " + pcap + ": " + e.getMessage());
                    }
                    engine.capture(pcap);
                }
                int total = l.spec().steps().size();
                if (!json) {
                    out.print(printer.header(l.compose().file(), l.compose().project(), l.project().options().seed(),
                            common.backend, total));
                    out.flush();
                }
                ScenarioRunner.Report report = ScenarioRunner.run(l.project(), l.spec(), engine, common.backend, r -> {
                    if (!json) {
                        out.print(printer.step(r, total));
                        out.flush();
                    }
                });
                out.print(json ? ReportPrinter.json(report, engine.now()) : printer.summary(report, engine.now()));
                out.flush();
                return report.passed() ? 0 : EXIT_FAILED;
            }
        }
    }


    // ------------------------------------------------------------------------------------------ exec

    /** {@code simnet exec FILE SERVICE -- CMD…}. */
    @Command(name = "exec", mixinStandardHelpOptions = true,
            description = {"Builds the project, starts its services and runs one command in a service's container "
                    + "(its first replica), printing the command's own output and exiting with its exit code, "
                    + "like 'docker compose exec'.",
                    "With --host the command runs on the Docker host (docker network ls, nft list ruleset, curl localhost:8080…); "
                            + "with --internet in the outside world."})
    static final class Exec implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The compose file.")
        Path file;

        @Parameters(index = "1..*", paramLabel = "SERVICE -- CMD", description = "The service, then the command after '--'.")
        List<String> rest = new ArrayList<>();

        @Option(names = "--host", description = "Run on the Docker host instead of in a container.")
        boolean host;

        @Option(names = "--internet", description = "Run in the simulated internet (203.0.113.0/24).")
        boolean internet;

        @Option(names = "--index", paramLabel = "N", defaultValue = "1", description = "Which replica of the service (default 1).")
        int index;

        @CommandLine.Mixin
        ProjectOptions common;

        @Override
        public Integer call() {
            common.checkBackend();
            if (host && internet) {
                throw new UsageError("use either --host or --internet, not both");
            }
            List<String> r = new ArrayList<>(rest);
            r.remove("--");
            Loaded l = Loaded.load(existing(file), common.projectName, common.seed);
            ExecTarget target;
            if (host) {
                target = ExecTarget.host();
            } else if (internet) {
                target = ExecTarget.internet();
            } else {
                if (r.isEmpty()) {
                    throw new UsageError("missing SERVICE (usage: simnet exec FILE SERVICE -- CMD [ARGS…])");
                }
                String svc = r.remove(0);
                if (!l.compose().services().containsKey(svc)) {
                    throw new UsageError("no such service: " + svc + " (services: "
                            + String.join(", ", l.compose().services().keySet()) + ")");
                }
                List<ContainerPlan> cs = l.project().containersOf(svc);
                if (cs.size() < index || index < 1) {
                    throw new UsageError("service \"" + svc + "\" has " + cs.size() + " replica(s), no --index " + index);
                }
                target = ExecTarget.container(cs.get(index - 1).name());
            }
            if (r.isEmpty()) {
                throw new UsageError("missing command (usage: simnet exec FILE SERVICE -- CMD [ARGS…])");
            }
            ExecResult res;
            if (target.kind() == ExecTarget.Kind.HOST && r.get(0).equals("docker")) {
                res = ScenarioRunner.exec(l.project(), null, target, r);
            } else {
                try (ScenarioEngine engine = engine(common.backend, l.project().options().seed())) {
                    engine.build(l.project().plan());
                    for (var i : l.spec().impairments()) {
                        engine.impair(i);
                    }
                    res = ScenarioRunner.exec(l.project(), engine, target, r);
                }
            }
            spec.commandLine().getOut().print(res.stdout());
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().print(res.stderr());
            spec.commandLine().getErr().flush();
            return res.exit();
        }
    }

    // ------------------------------------------------------------------------------------------ inspect

    /** {@code simnet inspect FILE}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Shows what Docker would build for the file: networks, bridges, subnets and gateways; containers "
                    + "with namespaces, interfaces, addresses, MACs and veths; DNS names per network; published ports; rules. "
                    + "Needs no engine.")
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The compose file.")
        Path file;

        @Option(names = "--json", description = "Print the plan as JSON.")
        boolean json;

        @CommandLine.Mixin
        ProjectOptions common;

        @Override
        public Integer call() {
            Loaded l = Loaded.load(existing(file), common.projectName, common.seed);
            String rules = RuleSetRenderer.find().map(r -> r.render(l.project().plan())).orElse(null);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                var data = PlanReport.data(l.project());
                if (rules != null) {
                    data.put("rules", List.of(rules.split("\n")));
                }
                out.println(Json.pretty(data));
            } else {
                out.print(PlanReport.text(l.project(), rules));
            }
            out.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------ trace

    /** {@code simnet trace FILE SERVICE -- CMD}. */
    @Command(name = "trace", mixinStandardHelpOptions = true,
            description = "Runs one command in a service's container and prints its packet walk hop by hop: DNS query and "
                    + "answer, ARP, bridge decisions, routing, netfilter rules matched, NAT and conntrack.")
    static final class Trace implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The compose file.")
        Path file;

        @Parameters(index = "1..*", paramLabel = "SERVICE -- CMD", description = "The service, then the command after '--'.")
        List<String> rest = new ArrayList<>();

        @Option(names = "--host", description = "Trace a command run on the Docker host (no SERVICE).")
        boolean host;

        @Option(names = "--internet", description = "Trace a command run in the simulated internet (no SERVICE).")
        boolean internet;

        @CommandLine.Mixin
        ProjectOptions common;

        @Override
        public Integer call() {
            common.checkBackend();
            if (host && internet) {
                throw new UsageError("use either --host or --internet, not both");
            }
            List<String> r = new ArrayList<>(rest);
            r.remove("--");
            boolean outside = host || internet;
            if (r.size() < (outside ? 1 : 2)) {
                throw new UsageError("usage: simnet trace FILE SERVICE -- CMD [ARGS…]  (or --host / --internet FILE -- CMD)");
            }
            Loaded l = Loaded.load(existing(file), common.projectName, common.seed);
            ExecTarget target;
            String where;
            if (outside) {
                target = host ? ExecTarget.host() : ExecTarget.internet();
                where = target.toString();
            } else {
                String svc = r.remove(0);
                List<ContainerPlan> cs = l.project().containersOf(svc);
                if (cs.isEmpty()) {
                    throw new UsageError("no such service: " + svc);
                }
                target = ExecTarget.container(cs.get(0).name());
                where = cs.get(0).name();
            }
            PrintWriter out = spec.commandLine().getOut();
            try (ScenarioEngine engine = engine(common.backend, l.project().options().seed())) {
                engine.build(l.project().plan());
                out.println("$ " + Argv.join(r) + "    # in " + where);
                ExecResult res = engine.trace(target, r, hop -> {
                    out.println("  " + hop);
                    out.flush();
                });
                out.print(res.stdout());
                spec.commandLine().getErr().print(res.stderr());
                out.flush();
                return res.exit();
            } catch (UnsupportedOperationException e) {
                throw new UsageError(e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ up / down

    /** {@code simnet up FILE}. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Runs the project in wall-clock time and binds its published ports on the real host's 127.0.0.1, "
                    + "so a real 'curl localhost:8080' reaches the simulated container. Ctrl-C stops it.")
    static final class Up implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The compose file.")
        Path file;

        @CommandLine.Mixin
        ProjectOptions common;

        @Override
        public Integer call() {
            common.checkBackend();
            Loaded l = Loaded.load(existing(file), common.projectName, common.seed);
            ScenarioEngine engine = engine(common.backend, l.project().options().seed());
            if (!(engine instanceof dev.simnet.scenarios.sim.SimEngine sim)) {
                engine.close();
                throw new UsageError("'simnet up' runs on the simulator only (use --backend sim)");
            }
            PrintWriter out = spec.commandLine().getOut();
            sim.build(l.project().plan());
            out.println("simnet up " + file + "  (project " + l.compose().project() + ", seed " + l.project().options().seed() + ")");
            dev.simnet.scenarios.sim.UpServer server = new dev.simnet.scenarios.sim.UpServer(sim);
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            Thread hook = new Thread(() -> {
                server.stop();
                try {
                    done.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "simnet-up-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                server.run(out);
            } finally {
                sim.close();
                out.println("simnet: stopped");
                out.flush();
                done.countDown();
            }
            return 0;
        }
    }

    /** {@code simnet down --all}. */
    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Removes what kernel backends left behind (namespaces, veths, bridges, nftables tables they created).")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--all", required = true, description = "Remove everything simnet created on this machine.")
        boolean all;

        @Override
        public Integer call() {
            int removed = 0;
            boolean any = false;
            for (String b : List.of("linux", "tap")) {
                var p = ScenarioEngineProvider.find(b);
                if (p.isPresent()) {
                    any = true;
                    removed += p.get().cleanupAll();
                }
            }
            spec.commandLine().getOut().println(any ? "removed " + removed + " object(s)"
                    : "nothing to remove (no kernel backend in this build; the simulator keeps no state between runs)");
            return 0;
        }
    }

    /** {@code simnet version}. */
    @Command(name = "version", description = "Prints the version.")
    static final class VersionCmd implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(VERSION);
            spec.commandLine().getOut().println("java " + System.getProperty("java.version"));
            return 0;
        }
    }
}
