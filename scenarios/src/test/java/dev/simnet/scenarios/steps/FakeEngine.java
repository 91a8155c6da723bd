package dev.simnet.scenarios.steps;

import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.Impairment;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** A recording engine for tests: commands are answered by a function (default: command not found). */
public final class FakeEngine implements ScenarioEngine {
    public final List<String> calls = new ArrayList<>();
    public TopologyPlan built;
    public boolean closed;
    private long now;
    private final BiFunction<ExecTarget, List<String>, ExecResult> answer;

    public FakeEngine() {
        this((t, a) -> ExecResult.fail(127, a.get(0) + ": command not found\n"));
    }

    public FakeEngine(BiFunction<ExecTarget, List<String>, ExecResult> answer) {
        this.answer = answer;
    }

    @Override
    public void build(TopologyPlan plan) {
        built = plan;
        calls.add("build " + plan.project());
    }

    @Override
    public ExecResult exec(ExecTarget target, List<String> argv) {
        calls.add("exec " + target + " " + String.join(" ", argv));
        now += 1_000_000L;
        return answer.apply(target, argv);
    }

    @Override
    public void advance(long nanos) {
        calls.add("advance " + nanos);
        now += nanos;
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public void stop(ContainerPlan container) {
        calls.add("stop " + container.name() + " " + container.endpoints().size());
    }

    @Override
    public void start(ContainerPlan container) {
        calls.add("start " + container.name() + " " + container.endpoints().get(0).address());
    }

    @Override
    public void connect(ContainerPlan container, EndpointPlan endpoint) {
        calls.add("connect " + container.name() + " " + endpoint.network() + " " + endpoint.address() + " " + endpoint.ifname());
    }

    @Override
    public void disconnect(ContainerPlan container, EndpointPlan endpoint) {
        calls.add("disconnect " + container.name() + " " + endpoint.network());
    }

    @Override
    public void impair(Impairment impairment) {
        calls.add("impair " + impairment.link() + " " + impairment.describe());
    }

    @Override
    public void close() {
        closed = true;
    }
}
