package dev.simnet.netfilter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A chain of rules: built-in (one per table and hook, with a policy ACCEPT or DROP) or user-defined
 * (no policy; reaching its end returns to the caller).
 */
public final class Chain {
    private final String name;
    private final Hook hook;
    private Target policy;
    final ArrayList<Rule> rules = new ArrayList<>();
    long policyPackets;
    long policyBytes;

    Chain(String name, Hook hook, Target policy) {
        this.name = name;
        this.hook = hook;
        this.policy = policy;
    }

    /** The chain name ({@code PREROUTING}, {@code DOCKER}…). */
    public String name() {
        return name;
    }

    /** The hook of a built-in chain, null for a user chain. */
    public Hook hook() {
        return hook;
    }

    /** True for a built-in chain. */
    public boolean builtin() {
        return hook != null;
    }

    /** The policy of a built-in chain ({@link Target#ACCEPT} or {@link Target#DROP}); null for user chains. */
    public Target policy() {
        return policy;
    }

    /** Sets a built-in chain's policy ({@code -P}). */
    public void setPolicy(Target policy) {
        if (hook == null) {
            throw new IllegalStateException("user chain " + name + " has no policy");
        }
        if (!(policy instanceof Target.Accept) && !(policy instanceof Target.Drop)) {
            throw new IllegalArgumentException("policy must be ACCEPT or DROP");
        }
        this.policy = policy;
    }

    /** The rules, in order (read-only view). */
    public List<Rule> rules() {
        return Collections.unmodifiableList(rules);
    }

    /** Appends a rule ({@code -A}). */
    public Chain append(Rule r) {
        rules.add(r);
        return this;
    }

    /** Appends a rule built from a target and matches. */
    public Chain append(Target target, Match... matches) {
        return append(Rule.of(target, matches));
    }

    /** Inserts a rule at 1-based position {@code pos} ({@code -I}). */
    public Chain insert(int pos, Rule r) {
        rules.add(pos - 1, r);
        return this;
    }

    /** Removes every rule ({@code -F}). */
    public void flush() {
        rules.clear();
    }

    /** Packets that fell through to the policy. */
    public long policyPackets() {
        return policyPackets;
    }

    /** Bytes that fell through to the policy. */
    public long policyBytes() {
        return policyBytes;
    }
}
