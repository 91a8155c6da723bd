package dev.simnet.netfilter;

import java.util.List;

/**
 * One rule: matches that must all hold, and a target. Carries its packet and byte counters
 * (iptables {@code -v} / nft {@code counter}); the rule itself is data shared by the simulator
 * and the renderers.
 */
public final class Rule {
    private final List<Match> matches;
    private final Match[] matchArray;
    private final Target target;
    private final String comment;
    long packets;
    long bytes;
    Chain jumpTarget;

    /** A rule with these matches and target, and an optional comment (may be null). */
    public Rule(List<Match> matches, Target target, String comment) {
        this.matches = List.copyOf(matches);
        this.matchArray = this.matches.toArray(new Match[0]);
        this.target = target;
        this.comment = comment;
    }

    /** A rule with these matches and target. */
    public static Rule of(Target target, Match... matches) {
        return new Rule(List.of(matches), target, null);
    }

    /** The matches, in order. */
    public List<Match> matches() {
        return matches;
    }

    Match[] matchArray() {
        return matchArray;
    }

    /** The target. */
    public Target target() {
        return target;
    }

    /** The comment, or null. */
    public String comment() {
        return comment;
    }

    /** Packets that matched this rule. */
    public long packets() {
        return packets;
    }

    /** Bytes (IP datagram lengths) of packets that matched this rule. */
    public long bytes() {
        return bytes;
    }

    /** Zeroes the counters. */
    public void resetCounters() {
        packets = 0;
        bytes = 0;
    }

    @Override
    public String toString() {
        return dev.simnet.netfilter.render.IptablesSave.ruleSpec(this);
    }
}
