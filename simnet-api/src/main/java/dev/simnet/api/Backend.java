package dev.simnet.api;

import java.util.Locale;

/** Where a topology runs: the packet-level simulator (default), real Linux namespaces, or the TAP bridge. */
public enum Backend {
    /** The deterministic simulator in virtual time; available everywhere. */
    SIM,
    /** Real kernel namespaces, veths, bridges and nftables; needs root (CAP_NET_ADMIN). */
    LINUX,
    /** The simulator bridged to real TAP devices in wall-clock time; needs /dev/net/tun and CAP_NET_ADMIN. */
    TAP;

    /** The backend's name as the CLI's {@code --backend} spells it ({@code sim}, {@code linux}, {@code tap}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
