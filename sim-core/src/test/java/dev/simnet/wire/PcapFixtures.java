package dev.simnet.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the frames of the real capture {@code swire-capture.pcap} (made by
 * {@code swire-capture.sh} in the same resource folder: namespaces swire-a, swire-r, swire-b with
 * veth pairs, tcpdump -w on swire-a's eth0, Linux 6.x, iputils ping, OpenBSD netcat).
 */
final class PcapFixtures {
    private PcapFixtures() {
    }

    static List<byte[]> frames() {
        try (InputStream in = PcapFixtures.class.getResourceAsStream("swire-capture.pcap")) {
            if (in == null) {
                throw new IllegalStateException("swire-capture.pcap missing from test resources");
            }
            ByteBuffer bb = ByteBuffer.wrap(in.readAllBytes());
            int magic = bb.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            if (magic != 0xa1b2c3d4) {
                bb.order(ByteOrder.BIG_ENDIAN);
                if (bb.getInt(0) != 0xa1b2c3d4) {
                    throw new IllegalStateException("not a microsecond pcap: magic " + Integer.toHexString(magic));
                }
            }
            if (bb.getInt(20) != 1) {
                throw new IllegalStateException("link type is not Ethernet: " + bb.getInt(20));
            }
            List<byte[]> out = new ArrayList<>();
            int pos = 24;
            while (pos + 16 <= bb.limit()) {
                int incl = bb.getInt(pos + 8);
                byte[] f = new byte[incl];
                bb.get(pos + 16, f);
                out.add(f);
                pos += 16 + incl;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
