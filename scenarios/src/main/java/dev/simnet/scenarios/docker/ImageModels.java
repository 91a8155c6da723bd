package dev.simnet.scenarios.docker;

import dev.simnet.scenarios.compose.ServiceSpec;
import dev.simnet.scenarios.compose.VolumeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What simnet knows about well-known images: which program model runs (nginx, httpd, whoami,
 * redis, postgres, mysql, or a plain TCP acceptor), the ports their image {@code EXPOSE}s, their
 * entrypoint and command as {@code docker ps} shows them, and — for nginx — the {@code listen}
 * ports of bind-mounted configuration files. The result goes into
 * {@link dev.simnet.topology.ContainerPlan#extensions()}:
 * <ul>
 *   <li>{@code model}: the program model name</li>
 *   <li>{@code listen}: list of {@code "80/tcp"}, {@code "[::]:80/tcp"}, {@code "127.0.0.1:8080/tcp"} entries</li>
 *   <li>{@code files}: map of container path to the text of bind-mounted files (up to 64 KiB each)</li>
 *   <li>anything else from the service's {@code x-simnet} block, as written</li>
 * </ul>
 */
public final class ImageModels {
    private static final Pattern LISTEN = Pattern.compile("(?m)^\\s*listen\\s+([^;]+);");
    private static final int MAX_FILE = 64 * 1024;

    private ImageModels() {
    }

    /** The program model for an image reference. */
    public static String model(String image) {
        String repo = repository(image);
        switch (repo) {
            case "nginx": case "nginxinc/nginx-unprivileged": return "nginx";
            case "httpd": return "httpd";
            case "traefik/whoami": case "containous/whoami": return "whoami";
            case "redis": case "valkey/valkey": return "redis";
            case "postgres": return "postgres";
            case "mysql": case "mariadb": return "mysql";
            default: return "tcp";
        }
    }

    /** {@code nginx:1.27-alpine} → {@code nginx}; {@code docker.io/library/nginx} → {@code nginx}. */
    public static String repository(String image) {
        String s = image.toLowerCase(Locale.ROOT);
        int at = s.indexOf('@');
        if (at >= 0) {
            s = s.substring(0, at);
        }
        int colon = s.lastIndexOf(':');
        if (colon > s.lastIndexOf('/')) {
            s = s.substring(0, colon);
        }
        for (String p : List.of("docker.io/library/", "docker.io/", "index.docker.io/library/", "library/")) {
            if (s.startsWith(p)) {
                s = s.substring(p.length());
            }
        }
        return s;
    }

    /** Ports the image declares with EXPOSE. */
    public static List<Integer> exposedPorts(String image) {
        switch (model(image)) {
            case "nginx": case "httpd": case "whoami": return List.of(80);
            case "redis": return List.of(6379);
            case "postgres": return List.of(5432);
            case "mysql": return repository(image).equals("mariadb") ? List.of(3306) : List.of(3306, 33060);
            default: return List.of();
        }
    }

    /** The image's default CMD. */
    public static List<String> defaultCommand(String image) {
        switch (model(image)) {
            case "nginx": return List.of("nginx", "-g", "daemon off;");
            case "httpd": return List.of("httpd-foreground");
            case "whoami": return List.of();
            case "redis": return List.of("redis-server");
            case "postgres": return List.of("postgres");
            case "mysql": return List.of("mysqld");
            default: return List.of();
        }
    }

    /** The image's ENTRYPOINT. */
    public static List<String> entrypoint(String image) {
        switch (model(image)) {
            case "nginx": return List.of("/docker-entrypoint.sh");
            case "whoami": return List.of("/whoami");
            case "redis": case "postgres": case "mysql": return List.of("docker-entrypoint.sh");
            default: return List.of();
        }
    }

    /** The per-container extensions for a service: model, listen ports, mounted files, x-simnet keys. */
    public static Map<String, Object> extensions(ServiceSpec s) {
        Map<String, Object> ext = new LinkedHashMap<>();
        String model = s.extensions().containsKey("model") ? (String) s.extensions().get("model") : model(s.image());
        ext.put("model", model);
        Map<String, String> files = mountedFiles(s);
        List<String> listen;
        if (s.extensions().containsKey("listen")) {
            listen = castList(s.extensions().get("listen"));
        } else {
            listen = listenPorts(model, s, files);
        }
        ext.put("listen", List.copyOf(listen));
        ext.put("files", files);
        for (Map.Entry<String, Object> e : s.extensions().entrySet()) {
            ext.putIfAbsent(e.getKey(), e.getValue());
        }
        return ext;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }

    private static List<String> listenPorts(String model, ServiceSpec s, Map<String, String> files) {
        switch (model) {
            case "nginx": return nginxListen(files);
            case "httpd": case "whoami": return List.of("80/tcp");
            case "redis": return List.of("6379/tcp");
            case "postgres": return List.of("5432/tcp");
            case "mysql": return List.of("3306/tcp", "33060/tcp");
            case "none": return List.of();
            default: {
                List<String> out = new ArrayList<>();
                for (int p : s.expose()) {
                    out.add(p + "/tcp");
                }
                s.ports().forEach(p -> {
                    for (int c = p.containerStart(); c <= p.containerEnd(); c++) {
                        String e = c + "/" + p.protocol();
                        if (!out.contains(e)) {
                            out.add(e);
                        }
                    }
                });
                return out;
            }
        }
    }

    /**
     * nginx's listening sockets: the image's {@code default.conf} listens on 80 and — because the
     * entrypoint's {@code 10-listen-on-ipv6-by-default.sh} edits an unmodified default.conf — on
     * {@code [::]:80}; a mounted {@code conf.d/default.conf} replaces it (and the IPv6 edit is
     * skipped); other mounted {@code conf.d/*.conf} files and a mounted {@code nginx.conf} add
     * their {@code listen} directives.
     */
    public static List<String> nginxListen(Map<String, String> files) {
        List<String> out = new ArrayList<>();
        boolean defaultReplaced = files.containsKey("/etc/nginx/conf.d/default.conf");
        boolean mainReplaced = files.containsKey("/etc/nginx/nginx.conf");
        boolean includesConfD = !mainReplaced || files.get("/etc/nginx/nginx.conf").contains("conf.d/*.conf");
        if (mainReplaced) {
            addListens(files.get("/etc/nginx/nginx.conf"), out);
        }
        if (includesConfD) {
            if (!defaultReplaced) {
                out.add("80/tcp");
                out.add("[::]:80/tcp");
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                if (f.getKey().startsWith("/etc/nginx/conf.d/") && f.getKey().endsWith(".conf")) {
                    addListens(f.getValue(), out);
                }
            }
        }
        return out;
    }

    private static void addListens(String conf, List<String> out) {
        Matcher m = LISTEN.matcher(stripComments(conf));
        while (m.find()) {
            String[] words = m.group(1).trim().split("\\s+");
            String addr = words[0];
            String proto = "tcp";
            for (String w : words) {
                if (w.equals("udp") || w.equals("quic")) {
                    proto = "udp";
                }
            }
            String entry;
            if (addr.matches("\\d+")) {
                entry = addr + "/" + proto;
            } else if (addr.startsWith("[")) {
                entry = addr + "/" + proto;
            } else if (addr.contains(":")) {
                entry = addr + "/" + proto;
            } else if (addr.matches("[0-9.]+")) {
                entry = addr + ":80/" + proto;
            } else {
                continue;
            }
            if (!out.contains(entry)) {
                out.add(entry);
            }
        }
    }

    private static String stripComments(String conf) {
        return conf.replaceAll("(?m)#.*$", "");
    }

    /** Bind-mounted regular files (and files of mounted folders, one level deep), by container path. */
    public static Map<String, String> mountedFiles(ServiceSpec s) {
        Map<String, String> files = new LinkedHashMap<>();
        for (VolumeSpec v : s.volumes()) {
            Path src = v.resolved();
            if (src == null) {
                continue;
            }
            if (Files.isRegularFile(src)) {
                read(src).ifPresent(t -> files.put(v.target(), t));
            } else if (Files.isDirectory(src)) {
                try (Stream<Path> list = Files.list(src)) {
                    list.filter(Files::isRegularFile).sorted().forEach(f -> read(f).ifPresent(
                            t -> files.put(v.target().replaceAll("/$", "") + "/" + f.getFileName(), t)));
                } catch (IOException e) {
                    // unreadable folder: nothing mounted
                }
            } else if (v.target().endsWith(".conf")) {
                throw v.location().error("bind source " + v.source() + " does not exist (Docker would create an "
                        + "empty folder there and the container would fail to start)");
            }
        }
        return files;
    }

    private static java.util.Optional<String> read(Path f) {
        try {
            if (Files.size(f) > MAX_FILE) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Files.readString(f, StandardCharsets.UTF_8));
        } catch (IOException | java.io.UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }
}
