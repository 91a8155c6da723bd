package dev.simnet.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code /etc/netns/NAME/}: files that {@code ip netns exec NAME} bind-mounts over {@code /etc}
 * (resolv.conf, hosts) for processes it runs in that namespace.
 */
public final class EtcNetns {
    /** iproute2's per-namespace configuration root. */
    public static final Path ETC_NETNS = Paths.get("/etc/netns");

    private EtcNetns() {
    }

    /** The directory for namespace {@code ns}. */
    public static Path dir(String ns) {
        NetNamespace.checkName(ns);
        return ETC_NETNS.resolve(ns);
    }

    /** Writes {@code /etc/netns/NS/FILE}. */
    public static void write(String ns, String file, String content) throws IOException {
        Path d = dir(ns);
        Files.createDirectories(d);
        Files.writeString(d.resolve(file), content, StandardCharsets.UTF_8);
    }

    /** Removes {@code /etc/netns/NS} recursively (only simnet's own {@code sn-} directories). */
    public static boolean remove(String ns) throws IOException {
        if (!ns.startsWith(RunState.PREFIX)) {
            throw new IllegalArgumentException("refusing to remove a directory simnet does not own: " + ns);
        }
        Path d = dir(ns);
        if (!Files.exists(d)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        return true;
    }
}
