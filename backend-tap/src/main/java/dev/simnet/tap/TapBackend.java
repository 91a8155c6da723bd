package dev.simnet.tap;

import dev.simnet.linux.LinuxBackend;
import dev.simnet.tap.ffi.Tun;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of the TAP backend. Availability is computed once, Netty-style: everything the
 * Linux backend needs (root, CAP_NET_ADMIN, CAP_SYS_ADMIN, iproute2, nftables) plus a usable
 * {@code /dev/net/tun}. {@link #build} makes a {@link TapNetwork}.
 */
public final class TapBackend {
    private static final String CAUSE = computeCause();

    private TapBackend() {
    }

    /** True when this machine can run the TAP backend. */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /** Why the backend is unavailable (one line), or null when it is available. */
    public static String unavailabilityCause() {
        return CAUSE;
    }

    /** Throws {@link UnsupportedOperationException} with the cause when unavailable. */
    public static void ensureAvailability() {
        if (CAUSE != null) {
            throw new UnsupportedOperationException("TAP backend unavailable: " + CAUSE);
        }
    }

    private static String computeCause() {
        String linux = LinuxBackend.unavailabilityCause();
        if (linux != null) {
            return linux;
        }
        if (Tun.loadFailure() != null) {
            return "cannot bind libc with jnr-ffi: " + Tun.loadFailure();
        }
        Path tun = Path.of("/dev/net/tun");
        if (!Files.exists(tun)) {
            return "/dev/net/tun missing (load the tun module or pass --device /dev/net/tun to the container)";
        }
        if (!Files.isReadable(tun) || !Files.isWritable(tun)) {
            return "/dev/net/tun is not readable and writable by this user";
        }
        return null;
    }

    /** Builds {@code plan} (sweeping stale runs first); the caller closes the result. */
    public static TapNetwork build(dev.simnet.topology.TopologyPlan plan, TapNetwork.Options options) {
        ensureAvailability();
        return TapNetwork.build(plan, options);
    }
}
