package dev.simnet.capture;

import org.pcap4j.core.Pcaps;

/**
 * Whether pcap4j can load libpcap here, decided once (as Netty's native transports answer
 * {@code isAvailable()} / {@code unavailabilityCause()}).
 */
public final class Pcap4jSupport {
    private static final Throwable CAUSE;
    private static final String VERSION;

    static {
        Throwable cause = null;
        String version = null;
        try {
            version = Pcaps.libVersion();
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError from JNA
            cause = t;
        }
        CAUSE = cause;
        VERSION = version;
    }

    private Pcap4jSupport() {
    }

    /** True if pcap4j works (libpcap found and loaded). */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /** Why pcap4j does not work, or null. */
    public static Throwable unavailabilityCause() {
        return CAUSE;
    }

    /** libpcap's version string, or null when unavailable. */
    public static String libVersion() {
        return VERSION;
    }

    /** Throws a {@link CaptureException} carrying the cause unless pcap4j is available. */
    public static void ensureAvailability() {
        if (CAUSE != null) {
            throw new CaptureException("pcap4j/libpcap unavailable: " + CAUSE, CAUSE);
        }
    }
}
