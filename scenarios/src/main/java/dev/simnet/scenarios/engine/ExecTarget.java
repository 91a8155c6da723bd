package dev.simnet.scenarios.engine;

/**
 * Where a command runs: inside a container (by name), on the Docker host itself, or in the
 * simulated internet (203.0.113.0/24: upstream DNS, an HTTP server).
 *
 * @param kind      which side
 * @param container container name for {@link Kind#CONTAINER}, else null
 */
public record ExecTarget(Kind kind, String container) {
    /** The three places a command can run. */
    public enum Kind {
        /** Inside a container's namespaces. */
        CONTAINER,
        /** On the Docker host (root namespace: docker0, br-…, nft, conntrack, lsns, docker CLI). */
        HOST,
        /** In the outside world behind the host's uplink. */
        INTERNET
    }

    /** The host. */
    public static ExecTarget host() {
        return new ExecTarget(Kind.HOST, null);
    }

    /** The internet side. */
    public static ExecTarget internet() {
        return new ExecTarget(Kind.INTERNET, null);
    }

    /** A container by name. */
    public static ExecTarget container(String name) {
        return new ExecTarget(Kind.CONTAINER, name);
    }

    @Override
    public String toString() {
        return kind == Kind.CONTAINER ? container : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
