package dev.simnet.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer a container's resolver (glibc-like: {@code /etc/hosts}, then the nameservers of
 * {@code /etc/resolv.conf} with its search list) gave for one name.
 *
 * @param name      the name asked
 * @param status    how the lookup ended
 * @param addresses IPv4 addresses in answer order, dotted quad
 */
public record Resolution(String name, Status status, List<String> addresses) {
    /** How a lookup ended. */
    public enum Status {
        /** Answered from {@code /etc/hosts} (or an address literal). */
        HOSTS,
        /** Answered by DNS with addresses (rcode NOERROR). */
        NOERROR,
        /** The name does not exist (rcode NXDOMAIN). */
        NXDOMAIN,
        /** The name exists without an A record (NOERROR, empty answer). */
        NODATA,
        /** The servers answered SERVFAIL, REFUSED or NOTIMP. */
        SERVFAIL,
        /** No server answered in time. */
        TIMEOUT
    }

    /** A resolution; {@code addresses} is copied. */
    public Resolution {
        addresses = List.copyOf(addresses);
    }

    /** True when at least one address came back. */
    public boolean found() {
        return !addresses.isEmpty();
    }

    /** The DNS rcode name ({@code NOERROR}, {@code NXDOMAIN}, {@code SERVFAIL}); {@code NOERROR} for hosts-file answers, {@code TIMEOUT} when none came. */
    public String rcode() {
        switch (status) {
            case HOSTS: case NOERROR: case NODATA: return "NOERROR";
            default: return status.name();
        }
    }

    /** The addresses as {@link InetAddress} values (built from the literals; no lookup happens). */
    public List<InetAddress> inetAddresses() {
        List<InetAddress> out = new ArrayList<>();
        for (String a : addresses) {
            String[] p = a.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) Integer.parseInt(p[i]);
            }
            try {
                out.add(InetAddress.getByAddress(b));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
