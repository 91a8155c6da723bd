package dev.simnet.dns.stub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code /etc/hosts} (hosts(5)): address, canonical name, aliases; {@code #} comments.
 * Lookups are case-insensitive and return every address listed for a name, in file order.
 */
public final class HostsFile {
    private final Map<String, List<String>> byName = new LinkedHashMap<>();
    private final Map<String, String> canonical = new LinkedHashMap<>();

    /** Parses hosts text. */
    public static HostsFile parse(String text) {
        HostsFile h = new HostsFile();
        for (String raw : text.split("\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] w = line.split("[ \t]+");
            if (w.length < 2) {
                continue;
            }
            for (int i = 1; i < w.length; i++) {
                String key = w[i].toLowerCase(Locale.ROOT);
                h.byName.computeIfAbsent(key, k -> new ArrayList<>()).add(w[0]);
                h.canonical.putIfAbsent(key + "@" + w[0], w[1]);
            }
        }
        return h;
    }

    /** IPv4 addresses for {@code name} (trailing dot ignored), in file order; empty when not listed. */
    public List<String> ipv4(String name) {
        return filter(name, false);
    }

    /** IPv6 addresses for {@code name}. */
    public List<String> ipv6(String name) {
        return filter(name, true);
    }

    private List<String> filter(String name, boolean v6) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        List<String> out = new ArrayList<>();
        for (String a : byName.getOrDefault(n, List.of())) {
            if (a.contains(":") == v6 && !out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** True when the name is listed at all (any family). */
    public boolean contains(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return byName.containsKey(n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
    }
}
