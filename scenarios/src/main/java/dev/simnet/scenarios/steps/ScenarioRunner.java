package dev.simnet.scenarios.steps;

import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.docker.DockerInspect;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.Impairment;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a scenario's steps against an engine: builds the plan, applies the initial impairments,
 * then performs each step — exec (with {@code docker …} on the host answered from the control
 * plane by {@link DockerInspect}), sleep, stop/start, connect/disconnect (addresses decided by
 * {@link DockerProject}, realised by the engine), impair — and checks every expectation. A failing
 * expectation does not stop the run.
 */
public final class ScenarioRunner {
    private ScenarioRunner() {
    }

    /**
     * The outcome of one step.
     *
     * @param index   1-based step number
     * @param step    the step
     * @param where   the container name (or host/internet) an exec ran in, else null
     * @param result  an exec's result, else null
     * @param checks  expectation outcomes
     * @param error   why a non-exec step failed, else null
     * @param atNanos virtual time when the step finished
     * @param override the step's {@code expect_on} entry for this run's backend, whose expectations were checked
     *                instead of the step's {@code expect} (null when {@code expect} was)
     */
    public record StepResult(int index, Step step, String where, ExecResult result, List<Expectation.Result> checks,
                             String error, long atNanos, Step.BackendExpect override) {
        /** A step outcome checked against the step's own expectations. */
        public StepResult(int index, Step step, String where, ExecResult result, List<Expectation.Result> checks,
                          String error, long atNanos) {
            this(index, step, where, result, checks, error, atNanos, null);
        }

        /** The step's {@code expect} entries not checked on this backend ({@link #override} replaced them). */
        public List<Expectation> notChecked() {
            return override != null && step instanceof Step.Exec e ? e.expect() : List.of();
        }

        /** True when the step worked and every expectation held. */
        public boolean ok() {
            return error == null && checks.stream().allMatch(Expectation.Result::ok);
        }
    }

    /**
     * A whole run.
     *
     * @param file    the compose file
     * @param project project name
     * @param seed    seed used
     * @param backend backend name
     * @param steps   per-step results
     */
    public record Report(String file, String project, long seed, String backend, List<StepResult> steps) {
        /** True when every step is ok. */
        public boolean passed() {
            return steps.stream().allMatch(StepResult::ok);
        }

        /** Number of expectations checked. */
        public int expectations() {
            return steps.stream().mapToInt(s -> s.checks().size()).sum();
        }

        /** Number of expectations that failed plus steps that errored. */
        public int failures() {
            return steps.stream().mapToInt(s -> (int) s.checks().stream().filter(c -> !c.ok()).count()
                    + (s.error() != null ? 1 : 0)).sum();
        }
    }

    /** Runs {@code spec} on {@code engine} (already created, not yet built); {@code progress} sees each step as it ends. */
    public static Report run(DockerProject project, SimnetSpec spec, ScenarioEngine engine, String backend,
                             Consumer<StepResult> progress) {
        engine.build(project.plan());
        for (Impairment i : spec.impairments()) {
            engine.impair(i);
        }
        List<StepResult> results = new ArrayList<>();
        int n = 0;
        for (Step s : spec.steps()) {
            StepResult r = step(++n, s, project, engine, backend);
            results.add(r);
            if (progress != null) {
                progress.accept(r);
            }
        }
        return new Report(project.compose().file(), project.project(), project.options().seed(), backend, List.copyOf(results));
    }

    /** Resolves where an exec runs; null container name when the service's container is not running. */
    public static ExecTarget target(DockerProject project, Step.Exec e) {
        switch (e.targetKind()) {
            case HOST: return ExecTarget.host();
            case INTERNET: return ExecTarget.internet();
            case CONTAINER: return ExecTarget.container(e.target());
            default: {
                List<ContainerPlan> cs = project.containersOf(e.target());
                if (cs.size() < e.replica()) {
                    return null;
                }
                return ExecTarget.container(cs.get(e.replica() - 1).name());
            }
        }
    }

    /** Runs one command where {@code target} says; host {@code docker …} commands are answered from the control plane. */
    public static ExecResult exec(DockerProject project, ScenarioEngine engine, ExecTarget target, List<String> argv) {
        if (target.kind() == ExecTarget.Kind.HOST && !argv.isEmpty() && argv.get(0).equals("docker")) {
            DockerInspect.Output o = new DockerInspect(project).run(argv, engine == null ? 0 : engine.now());
            return new ExecResult(o.exit(), o.stdout(), o.stderr());
        }
        if (target.kind() == ExecTarget.Kind.CONTAINER) {
            var info = project.info(target.container());
            if (info.isEmpty()) {
                return ExecResult.fail(1, "Error response from daemon: No such container: " + target.container() + "\n");
            }
            if (!info.get().running()) {
                ContainerPlan c = project.container(target.container()).orElseThrow();
                return ExecResult.fail(1, "service \"" + c.service() + "\" is not running\n");
            }
        }
        if (engine == null) {
            throw new IllegalStateException("no engine");
        }
        engine.sandboxKeys(key -> project.plan().containers().stream().map(ContainerPlan::name)
                .filter(n -> project.info(n).map(i -> i.running() && i.sandboxKey().endsWith("/" + key)).orElse(false))
                .findFirst());
        return engine.exec(target, argv);
    }

    private static List<ContainerPlan> targets(DockerProject project, String service, int replica) {
        List<ContainerPlan> cs = project.containersOf(service);
        if (replica > 0) {
            return replica <= cs.size() ? List.of(cs.get(replica - 1)) : List.of();
        }
        return cs;
    }

    /** {@code docker stop}: the control plane frees the endpoints of {@code service}'s replica (0 = all), the engine realises it. */
    public static void stop(DockerProject project, ScenarioEngine engine, String service, int replica) {
        for (ContainerPlan c : targets(project, service, replica)) {
            project.stop(c.name(), engine.now());
            engine.stop(project.container(c.name()).orElseThrow());
        }
    }

    /** {@code docker start}: new endpoints for {@code service}'s replica (0 = all), realised by the engine. */
    public static void start(DockerProject project, ScenarioEngine engine, String service, int replica) {
        for (ContainerPlan c : targets(project, service, replica)) {
            project.start(c.name(), engine.now());
            engine.start(project.container(c.name()).orElseThrow());
        }
    }

    /** {@code docker network connect} of {@code service}'s replica (0 = the first) to {@code network}. */
    public static void connect(DockerProject project, ScenarioEngine engine, String service, int replica, String network,
                               List<String> aliases, String ipv4Address) {
        for (ContainerPlan cp : targets(project, service, replica == 0 ? 1 : replica)) {
            EndpointPlan ep = project.connect(cp.name(), network, aliases, ipv4Address);
            engine.connect(project.container(cp.name()).orElseThrow(), ep);
        }
    }

    /** {@code docker network disconnect} of {@code service}'s replica (0 = the first) from {@code network} (Docker name or compose key). */
    public static void disconnect(DockerProject project, ScenarioEngine engine, String service, int replica, String network) {
        String net = project.resolveNetwork(network).map(n -> n.plan().name()).orElse(network);
        for (ContainerPlan cp : targets(project, service, replica == 0 ? 1 : replica)) {
            EndpointPlan ep = cp.endpoints().stream().filter(x -> x.network().equals(net)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("container " + cp.name()
                            + " is not connected to network " + network));
            project.disconnect(cp.name(), net);
            engine.disconnect(project.container(cp.name()).orElseThrow(), ep);
        }
    }

    private static StepResult step(int n, Step s, DockerProject project, ScenarioEngine engine, String backend) {
        try {
            if (s instanceof Step.Exec e) {
                ExecTarget t = target(project, e);
                ExecResult r;
                if (t == null) {
                    r = ExecResult.fail(1, "service \"" + e.target() + "\" has no replica " + e.replica() + "\n");
                } else if (e.line() != null && Argv.hasSubstitution(e.line())) {
                    List<String> argv = Argv.split(e.line(), inner -> exec(project, engine, t, Argv.split(inner)).stdout());
                    r = exec(project, engine, t, argv);
                } else {
                    r = exec(project, engine, t, e.argv());
                }
                List<Expectation.Result> checks = new ArrayList<>();
                for (Expectation x : e.expectationsFor(backend)) {
                    checks.add(x.check(r));
                }
                return new StepResult(n, s, t == null ? e.target() : t.toString(), r, List.copyOf(checks), null, engine.now(),
                        e.overrideFor(backend));
            } else if (s instanceof Step.Sleep sl) {
                engine.advance(sl.nanos());
            } else if (s instanceof Step.Stop st) {
                stop(project, engine, st.service(), st.replica());
            } else if (s instanceof Step.Start st) {
                start(project, engine, st.service(), st.replica());
            } else if (s instanceof Step.Connect c) {
                connect(project, engine, c.service(), c.replica(), c.network(), c.aliases(), c.ipv4Address());
            } else if (s instanceof Step.Disconnect d) {
                disconnect(project, engine, d.service(), d.replica(), d.network());
            } else if (s instanceof Step.Impair i) {
                engine.impair(i.impairment());
            }
            return new StepResult(n, s, null, null, List.of(), null, engine.now());
        } catch (IllegalArgumentException | UnsupportedOperationException ex) {
            return new StepResult(n, s, null, null, List.of(), String.valueOf(ex.getMessage()), engine.now());
        }
    }
}
