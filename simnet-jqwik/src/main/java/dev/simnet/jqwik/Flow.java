package dev.simnet.jqwik;

/**
 * A flow a property can open: from one service to another service's name (or alias) and port.
 *
 * @param from     the service the flow starts in (its first replica)
 * @param to       the name the client uses: a service name or a network alias
 * @param service  the service {@code to} names
 * @param port     the destination port
 * @param protocol {@code tcp} or {@code udp}
 */
public record Flow(String from, String to, String service, int port, String protocol) {
    @Override
    public String toString() {
        return from + " -> " + to + ":" + port + "/" + protocol + (to.equals(service) ? "" : " (service " + service + ")");
    }
}
