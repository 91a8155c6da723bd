package dev.simnet.topology;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;

/**
 * The fixed "outside world" every backend attaches to the Docker host: an uplink link between the
 * host and an internet router, and a services network behind the router that holds the upstream DNS
 * server and an HTTP server. Addresses come from the documentation ranges of RFC 5737, so nothing
 * here can ever reach a real network. Both the simulator and the kernel backends use these values.
 *
 * <pre>
 *  docker host ns                         internet ns
 *  [eth0 203.0.113.1/24] ---- veth ---- [eth0 203.0.113.254/24]
 *  default via 203.0.113.254             lo: 198.51.100.1/24 (whole /24 local: .53 DNS, .80 HTTP)
 * </pre>
 */
public final class InternetPlan {

    /** The uplink network between the Docker host and the internet router. */
    public static final Ipv4Cidr UPLINK_NETWORK = Ipv4Cidr.parse("203.0.113.0/24");
    /** The Docker host's public address on the uplink ({@code eth0} of the host namespace). */
    public static final Ipv4Address HOST_PUBLIC_ADDRESS = Ipv4Address.parse("203.0.113.1");
    /** The internet router's address on the uplink; the host's default gateway. */
    public static final Ipv4Address ROUTER_ADDRESS = Ipv4Address.parse("203.0.113.254");
    /** Interface name of the uplink in the Docker host namespace. */
    public static final String HOST_UPLINK_IFNAME = "eth0";
    /** Interface name of the uplink in the internet namespace. */
    public static final String ROUTER_UPLINK_IFNAME = "eth0";

    /** The services network behind the router; every address in it is local to the internet namespace. */
    public static final Ipv4Cidr SERVICES_NETWORK = Ipv4Cidr.parse("198.51.100.0/24");
    /** The address assigned to the internet namespace's loopback to make {@link #SERVICES_NETWORK} local. */
    public static final Ipv4Address SERVICES_BASE_ADDRESS = Ipv4Address.parse("198.51.100.1");
    /** Interface in the internet namespace carrying {@link #SERVICES_NETWORK}. */
    public static final String SERVICES_IFNAME = "lo";
    /** The upstream DNS server the Docker host forwards to (its {@code /etc/resolv.conf}). */
    public static final Ipv4Address UPSTREAM_DNS = Ipv4Address.parse("198.51.100.53");
    /** An HTTP server on the internet. */
    public static final Ipv4Address WEB_SERVER = Ipv4Address.parse("198.51.100.80");

    private InternetPlan() {
    }
}
