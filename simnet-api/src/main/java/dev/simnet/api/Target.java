package dev.simnet.api;

/**
 * Where a command runs or whose state is read: a compose service's replica, a container by name,
 * the Docker host itself (bridges, rule set, conntrack, {@code docker …} commands), or the
 * simulated internet behind the host's uplink (203.0.113.0/24, an upstream DNS and a web server).
 *
 * @param kind      which side
 * @param service   the compose service for {@link Kind#SERVICE}, else null
 * @param replica   1-based replica for {@link Kind#SERVICE}
 * @param container the container name for {@link Kind#CONTAINER}, else null
 */
public record Target(Kind kind, String service, int replica, String container) {
    /** The places a command can run. */
    public enum Kind {
        /** A replica of a compose service. */
        SERVICE,
        /** A container by its Docker name. */
        CONTAINER,
        /** The Docker host's own namespace. */
        HOST,
        /** The outside world behind the host's uplink. */
        INTERNET
    }

    /** The first replica of {@code service}. */
    public static Target service(String service) {
        return new Target(Kind.SERVICE, service, 1, null);
    }

    /** Replica {@code replica} (1-based) of {@code service}. */
    public static Target service(String service, int replica) {
        if (replica < 1) {
            throw new IllegalArgumentException("replica is 1-based, got " + replica);
        }
        return new Target(Kind.SERVICE, service, replica, null);
    }

    /** The container called {@code name} ({@code project-web-1}, or its {@code container_name}). */
    public static Target container(String name) {
        return new Target(Kind.CONTAINER, null, 0, name);
    }

    /** The Docker host. */
    public static Target host() {
        return new Target(Kind.HOST, null, 0, null);
    }

    /** The internet side of the host's uplink. */
    public static Target internet() {
        return new Target(Kind.INTERNET, null, 0, null);
    }

    @Override
    public String toString() {
        switch (kind) {
            case SERVICE: return replica == 1 ? service : service + "#" + replica;
            case CONTAINER: return container;
            default: return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
