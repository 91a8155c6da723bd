package dev.simnet.scenarios.engine;

import dev.simnet.netfilter.docker.DockerRules;
import dev.simnet.netfilter.render.IptablesSave;
import dev.simnet.topology.TopologyPlan;

/**
 * {@code simnet inspect}'s rules: the Docker host's rule set ({@link DockerRules#hostRules}) as
 * {@code iptables-save} prints it — the same rules the simulator loads and the Linux backend renders
 * to nftables.
 */
public final class DockerRuleSetRenderer implements RuleSetRenderer {
    @Override
    public String render(TopologyPlan plan) {
        return "# the Docker host's rules (iptables-save)\n" + IptablesSave.render(DockerRules.hostRules(plan), false).stripTrailing();
    }
}
