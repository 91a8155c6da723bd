package dev.simnet.topology;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;

/**
 * The fixed "outside world" every backend attaches to the Docker host: an uplink between the host
 * and an internet router that also holds the upstream DNS server (.53) and an HTTP server (.80) on
 * the same TEST-NET-3 subnet (as the compose front end's {@code DockerOptions.DEFAULT_UPSTREAM}
 * and examples assume), plus a second "remote" network behind the router. Addresses come from the
 * documentation ranges of RFC 5737, so nothing here can ever reach a real network. Both the
 * simulator and the kernel backends use these values.
 *
 * <pre>
 *  docker host ns                         internet ns
 *  [eth0 203.0.113.1/24] ---- veth ---- [eth0 203.0.113.254/24, .53/24 (DNS), .80/24 (HTTP)]
 *  default via 203.0.113.254             lo: 198.51.100.1/24 (every address of the /24 is local)
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

    /** A remote network behind the router; every address in it is local to the internet namespace. */
    public static final Ipv4Cidr SERVICES_NETWORK = Ipv4Cidr.parse("198.51.100.0/24");
    /** The address assigned to the internet namespace's loopback to make {@link #SERVICES_NETWORK} local. */
    public static final Ipv4Address SERVICES_BASE_ADDRESS = Ipv4Address.parse("198.51.100.1");
    /** Interface in the internet namespace carrying {@link #SERVICES_NETWORK}. */
    public static final String SERVICES_IFNAME = "lo";
    /** The upstream DNS server the Docker host forwards to (its {@code /etc/resolv.conf}), on the router's uplink. */
    public static final Ipv4Address UPSTREAM_DNS = Ipv4Address.parse("203.0.113.53");
    /** An HTTP server on the internet, on the router's uplink. */
    public static final Ipv4Address WEB_SERVER = Ipv4Address.parse("203.0.113.80");

    /**
     * The zone data the upstream DNS server ({@link #UPSTREAM_DNS}) answers from, origin the root: it
     * answers as a recursive resolver would (RA, not AA), NXDOMAIN for names it does not hold. Both
     * backends serve exactly this, so their answers can be compared.
     */
    public static final String UPSTREAM_ZONE = "$TTL 300\n"
            + "@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300\n"
            + "@ IN NS ns1.example.com.\n"
            + "ns1.example.com. IN A 203.0.113.53\n"
            + "example.com. IN A 198.51.100.10\n"
            + "www.example.com. IN A 198.51.100.10\n"
            + "web.example.com. IN A 203.0.113.80\n"
            + "ns1.example.test. IN A 203.0.113.53\n"
            + "www.example.test. IN A 203.0.113.80\n"
            + "10.100.51.198.in-addr.arpa. IN PTR example.com.\n";

    private InternetPlan() {
    }
}
