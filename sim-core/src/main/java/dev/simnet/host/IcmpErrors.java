package dev.simnet.host;

/**
 * How an ICMP error maps to an errno and whether it is "hard" (Linux {@code icmp_err_convert[]}
 * in {@code net/ipv4/icmp.c}, and the type switch of {@code __udp4_lib_err}/{@code tcp_v4_err}).
 */
final class IcmpErrors {
    private IcmpErrors() {
    }

    private static final int[] UNREACH_ERRNO = {
        Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENOPROTOOPT, Errno.ECONNREFUSED, Errno.EMSGSIZE,
        95 /* EOPNOTSUPP */, Errno.ENETUNREACH, 112 /* EHOSTDOWN */, 64 /* ENONET */, Errno.ENETUNREACH,
        Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH,
        Errno.EHOSTUNREACH,
    };
    private static final boolean[] UNREACH_FATAL = {
        false, false, true, true, false, false, true, true, true, true, true, false, false, true, true, true,
    };

    /** The errno for an ICMP error, or 0 when it carries none (source quench, unknown codes). */
    static int errnoFor(int type, int code) {
        return switch (type) {
            case 3 -> code < UNREACH_ERRNO.length ? UNREACH_ERRNO[code] : Errno.EHOSTUNREACH;
            case 11 -> Errno.EHOSTUNREACH;
            case 12 -> 71; // EPROTO
            default -> 0;
        };
    }

    /** True for the "hard" errors that UDP reports on a connected socket. */
    static boolean fatal(int type, int code) {
        return switch (type) {
            case 3 -> code < UNREACH_FATAL.length && UNREACH_FATAL[code] && code != 4;
            case 12 -> true;
            default -> false;
        };
    }
}
