package dev.simnet.netfilter;

/**
 * The iptables tables simnet models, with the hooks each registers at and its priority there
 * (include/uapi/linux/netfilter_ipv4.h: raw -300, conntrack -200, mangle -150, nat dst -100,
 * filter 0, nat src 100). Tables are run in priority order at each hook.
 */
public enum Table {
    /** Before connection tracking: PREROUTING and OUTPUT. */
    RAW("raw", -300, Hook.PREROUTING, Hook.OUTPUT),
    /** Packet alteration; present for completeness (all five hooks). */
    MANGLE("mangle", -150, Hook.PREROUTING, Hook.INPUT, Hook.FORWARD, Hook.OUTPUT, Hook.POSTROUTING),
    /** NAT: consulted only for the first packet of a connection. */
    NAT("nat", -100, Hook.PREROUTING, Hook.INPUT, Hook.OUTPUT, Hook.POSTROUTING),
    /** Filtering: INPUT, FORWARD and OUTPUT. */
    FILTER("filter", 0, Hook.INPUT, Hook.FORWARD, Hook.OUTPUT);

    private final String tableName;
    private final int priority;
    private final Hook[] hooks;

    Table(String tableName, int priority, Hook... hooks) {
        this.tableName = tableName;
        this.priority = priority;
        this.hooks = hooks;
    }

    /** The name iptables uses ({@code nat}, {@code filter}…). */
    public String tableName() {
        return tableName;
    }

    /** Priority at the DNAT-side hooks (nat registers at +100 for INPUT and POSTROUTING). */
    public int priority(Hook hook) {
        if (this == NAT && (hook == Hook.INPUT || hook == Hook.POSTROUTING)) {
            return 100;
        }
        return priority;
    }

    /** The hooks this table has a built-in chain at, in kernel order. */
    public Hook[] hooks() {
        return hooks.clone();
    }

    /** True when this table has a built-in chain at {@code hook}. */
    public boolean hasHook(Hook hook) {
        for (Hook h : hooks) {
            if (h == hook) {
                return true;
            }
        }
        return false;
    }

    /** The table called {@code name}. */
    public static Table byName(String name) {
        for (Table t : values()) {
            if (t.tableName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no such table: " + name);
    }
}
