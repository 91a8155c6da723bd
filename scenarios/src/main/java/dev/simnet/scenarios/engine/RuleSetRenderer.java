package dev.simnet.scenarios.engine;

import dev.simnet.topology.TopologyPlan;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Renders the netfilter rule set Docker would install for a plan ({@code iptables-save}- or
 * {@code nft list ruleset}-like text) for {@code simnet inspect}; {@link DockerRuleSetRenderer} is registered and
 * found with {@link ServiceLoader}; without one, inspect says the rules are not available.
 */
public interface RuleSetRenderer {
    /** The rule set as text, one rule per line. */
    String render(TopologyPlan plan);

    /** The first renderer on the class path. */
    static Optional<RuleSetRenderer> find() {
        for (RuleSetRenderer r : ServiceLoader.load(RuleSetRenderer.class)) {
            return Optional.of(r);
        }
        return Optional.empty();
    }
}
