package dev.simnet.wire;

/** Reads and writes 48-bit MAC addresses held in a long (package-private; delegates to {@code MacAddress}). */
final class MacAddress48 {
    private MacAddress48() {
    }

    static long read(byte[] b, int i) {
        return dev.simnet.addr.MacAddress.readBits(b, i);
    }

    static void write(long mac, byte[] b, int i) {
        dev.simnet.addr.MacAddress.writeBits(mac, b, i);
    }
}
