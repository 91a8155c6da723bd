package dev.simnet.netfilter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A namespace's whole netfilter configuration as data: for each {@link Table} its built-in chains
 * (policy ACCEPT) and user chains, in creation order. This is what the simulator executes and what
 * {@code render.IptablesSave} and {@code render.NftRenderer} print.
 */
public final class RuleSet {
    private final EnumMap<Table, LinkedHashMap<String, Chain>> tables = new EnumMap<>(Table.class);

    /** An empty rule set: every table with its built-in chains, no rules, policies ACCEPT. */
    public RuleSet() {
        for (Table t : Table.values()) {
            LinkedHashMap<String, Chain> chains = new LinkedHashMap<>();
            for (Hook h : t.hooks()) {
                chains.put(h.name(), new Chain(h.name(), h, Target.ACCEPT));
            }
            tables.put(t, chains);
        }
    }

    /** The chain {@code name} of {@code table}; throws if it does not exist. */
    public Chain chain(Table table, String name) {
        Chain c = tables.get(table).get(name);
        if (c == null) {
            throw new IllegalArgumentException("no chain " + name + " in table " + table.tableName());
        }
        return c;
    }

    /** True when {@code table} has a chain called {@code name}. */
    public boolean hasChain(Table table, String name) {
        return tables.get(table).containsKey(name);
    }

    /** The built-in chain of {@code table} at {@code hook}. */
    public Chain builtin(Table table, Hook hook) {
        return chain(table, hook.name());
    }

    /** Creates user chain {@code name} ({@code -N}) or returns the existing one. */
    public Chain newChain(Table table, String name) {
        return tables.get(table).computeIfAbsent(name, n -> new Chain(n, null, null));
    }

    /** Chains of {@code table}: built-ins first in hook order, then user chains in creation order. */
    public Collection<Chain> chains(Table table) {
        return tables.get(table).values();
    }

    /** True when {@code table} has no rule and only ACCEPT policies (iptables-save omits such tables only when never used; we print all). */
    public boolean isEmpty(Table table) {
        for (Chain c : chains(table)) {
            if (!c.rules.isEmpty() || !c.builtin() || !(c.policy() instanceof Target.Accept)) {
                return false;
            }
        }
        return true;
    }

    /** Number of rules whose target jumps to {@code chain} (the "references" iptables -L prints). */
    public int references(Table table, String chain) {
        int n = 0;
        for (Chain c : chains(table)) {
            for (Rule r : c.rules) {
                if (r.target() instanceof Target.Jump j && j.chain().equals(chain)
                        || r.target() instanceof Target.Goto g && g.chain().equals(chain)) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Checks the rule set and resolves jump targets: every jumped-to chain exists, NAT targets only
     * in the nat table, no loops. Throws {@link IllegalStateException} describing the first problem.
     */
    public void validate() {
        for (Map.Entry<Table, LinkedHashMap<String, Chain>> te : tables.entrySet()) {
            Table t = te.getKey();
            for (Chain c : te.getValue().values()) {
                for (Rule r : c.rules) {
                    Target tg = r.target();
                    String jumpTo = tg instanceof Target.Jump j ? j.chain() : tg instanceof Target.Goto g ? g.chain() : null;
                    if (jumpTo != null) {
                        Chain dst = te.getValue().get(jumpTo);
                        if (dst == null || dst.builtin()) {
                            throw new IllegalStateException("rule in " + t.tableName() + "/" + c.name() + " jumps to unknown chain " + jumpTo);
                        }
                        r.jumpTarget = dst;
                    } else {
                        r.jumpTarget = null;
                    }
                    boolean nat = tg instanceof Target.Dnat || tg instanceof Target.Snat || tg instanceof Target.Masquerade;
                    if (nat && t != Table.NAT) {
                        throw new IllegalStateException("NAT target in table " + t.tableName() + "/" + c.name());
                    }
                }
            }
            for (Chain c : te.getValue().values()) {
                checkLoop(c, new ArrayList<>());
            }
        }
    }

    private static void checkLoop(Chain c, List<Chain> path) {
        if (path.contains(c)) {
            throw new IllegalStateException("jump loop through chain " + c.name());
        }
        path.add(c);
        for (Rule r : c.rules) {
            if (r.jumpTarget != null) {
                checkLoop(r.jumpTarget, path);
            }
        }
        path.remove(path.size() - 1);
    }

    /** Zeroes every rule and policy counter. */
    public void resetCounters() {
        for (Table t : Table.values()) {
            for (Chain c : chains(t)) {
                c.policyPackets = 0;
                c.policyBytes = 0;
                for (Rule r : c.rules) {
                    r.resetCounters();
                }
            }
        }
    }
}
