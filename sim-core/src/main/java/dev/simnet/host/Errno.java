package dev.simnet.host;

/** The Linux errno values the host stack reports (from {@code include/uapi/asm-generic/errno*.h}). */
public final class Errno {
    private Errno() {
    }

    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Broken pipe (write after the connection closed). */
    public static final int EPIPE = 32;
    /** Resource temporarily unavailable (nothing to accept, empty queue). */
    public static final int EAGAIN = 11;
    /** Message too long. */
    public static final int EMSGSIZE = 90;
    /** Address already in use. */
    public static final int EADDRINUSE = 98;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 99;
    /** Network is unreachable. */
    public static final int ENETUNREACH = 101;
    /** Connection reset by peer. */
    public static final int ECONNRESET = 104;
    /** Transport endpoint is already connected. */
    public static final int EISCONN = 106;
    /** Transport endpoint is not connected. */
    public static final int ENOTCONN = 107;
    /** Connection timed out. */
    public static final int ETIMEDOUT = 110;
    /** Connection refused. */
    public static final int ECONNREFUSED = 111;
    /** No route to host. */
    public static final int EHOSTUNREACH = 113;
    /** Operation already in progress. */
    public static final int EALREADY = 114;
    /** Protocol not available. */
    public static final int ENOPROTOOPT = 92;

    /** The symbolic name ({@code "ECONNREFUSED"}), or {@code "E<n>"} for a value not listed here. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case EINVAL -> "EINVAL";
            case EPIPE -> "EPIPE";
            case EAGAIN -> "EAGAIN";
            case EMSGSIZE -> "EMSGSIZE";
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETUNREACH -> "ENETUNREACH";
            case ECONNRESET -> "ECONNRESET";
            case EISCONN -> "EISCONN";
            case ENOTCONN -> "ENOTCONN";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            case EALREADY -> "EALREADY";
            case ENOPROTOOPT -> "ENOPROTOOPT";
            default -> "E" + errno;
        };
    }

    /** The message {@code strerror} gives, as tools print it. */
    public static String message(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case EINVAL -> "Invalid argument";
            case EPIPE -> "Broken pipe";
            case EAGAIN -> "Resource temporarily unavailable";
            case EMSGSIZE -> "Message too long";
            case EADDRINUSE -> "Address already in use";
            case EADDRNOTAVAIL -> "Cannot assign requested address";
            case ENETUNREACH -> "Network is unreachable";
            case ECONNRESET -> "Connection reset by peer";
            case EISCONN -> "Transport endpoint is already connected";
            case ENOTCONN -> "Transport endpoint is not connected";
            case ETIMEDOUT -> "Connection timed out";
            case ECONNREFUSED -> "Connection refused";
            case EHOSTUNREACH -> "No route to host";
            case EALREADY -> "Operation already in progress";
            case ENOPROTOOPT -> "Protocol not available";
            default -> "Unknown error " + errno;
        };
    }
}
