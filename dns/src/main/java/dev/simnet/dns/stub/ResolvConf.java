package dev.simnet.dns.stub;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code /etc/resolv.conf} (resolv.conf(5)): up to three {@code nameserver} lines, the
 * {@code search} list (a later {@code domain} or {@code search} line replaces an earlier one), and
 * the options glibc acts on: {@code ndots:N} (default 1, max 15), {@code timeout:N} seconds
 * (default 5, max 30), {@code attempts:N} (default 2, max 5), {@code rotate}, {@code use-vc}
 * ({@code usevc}) and {@code edns0}. Unknown lines and options are ignored, as glibc does.
 *
 * @param nameservers servers in file order (at most 3, {@code 127.0.0.1} when none)
 * @param search      search domains
 * @param ndots       dots needed before a name is tried as-is first
 * @param timeoutSec  per-try timeout in seconds
 * @param attempts    rounds over the server list
 * @param rotate      start at a rotating server
 * @param useVc       always TCP
 * @param edns0       send EDNS0 (OPT) in queries
 */
public record ResolvConf(List<String> nameservers, List<String> search, int ndots, int timeoutSec, int attempts,
                         boolean rotate, boolean useVc, boolean edns0) {
    /** glibc's MAXNS. */
    public static final int MAXNS = 3;

    /** Copies the lists. */
    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        search = List.copyOf(search);
    }

    /** Parses resolv.conf text. */
    public static ResolvConf parse(String text) {
        List<String> ns = new ArrayList<>();
        List<String> search = new ArrayList<>();
        int ndots = 1;
        int timeout = 5;
        int attempts = 2;
        boolean rotate = false;
        boolean usevc = false;
        boolean edns0 = false;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] w = line.split("[ \t]+");
            switch (w[0]) {
                case "nameserver" -> {
                    if (w.length > 1 && ns.size() < MAXNS) {
                        ns.add(w[1]);
                    }
                }
                case "search", "domain" -> {
                    search.clear();
                    for (int i = 1; i < w.length; i++) {
                        search.add(w[i]);
                    }
                }
                case "options" -> {
                    for (int i = 1; i < w.length; i++) {
                        String o = w[i];
                        if (o.startsWith("ndots:")) {
                            ndots = Math.min(15, intOr(o.substring(6), ndots));
                        } else if (o.startsWith("timeout:")) {
                            timeout = Math.max(1, Math.min(30, intOr(o.substring(8), timeout)));
                        } else if (o.startsWith("attempts:")) {
                            attempts = Math.max(1, Math.min(5, intOr(o.substring(9), attempts)));
                        } else if (o.equals("rotate")) {
                            rotate = true;
                        } else if (o.equals("use-vc") || o.equals("usevc")) {
                            usevc = true;
                        } else if (o.equals("edns0")) {
                            edns0 = true;
                        }
                    }
                }
                default -> {
                    // sortlist and unknown keywords: ignored
                }
            }
        }
        if (ns.isEmpty()) {
            ns.add("127.0.0.1");
        }
        return new ResolvConf(ns, search, ndots, timeout, attempts, rotate, usevc, edns0);
    }

    private static int intOr(String s, int dflt) {
        try {
            return Math.max(0, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
