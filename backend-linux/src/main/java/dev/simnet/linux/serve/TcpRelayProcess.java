package dev.simnet.linux.serve;

import dev.simnet.linux.LinuxTopology;
import dev.simnet.linux.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The main process of an image model on the kernel backends: a small {@code python3} program
 * ({@code tcp_relay.py}, read from stdin) run in a container's namespace under the image's command
 * line and process name (so {@code /proc/PID/cmdline} reads {@code nginx: master process nginx -g
 * daemon off;} and {@code comm} {@code nginx}). It owns the model's listening TCP sockets — so
 * {@code netstat -tlnp} and {@code ss -tlnp} name it, as on a Docker host, and not the JVM — and relays
 * every connection to a Unix domain socket of the JVM ({@link MiniHttpServer#startUnix}) after a PROXY
 * protocol v1 line with the real client and local addresses. Half-closes and resets are passed on in
 * both directions.
 *
 * <p>{@link #start} returns once every address is bound and listening (the relay prints
 * {@code ready}); a bind failure (port in use) is an {@link UncheckedIOException} with the kernel's
 * reason. The process is spawned through {@link LinuxTopology#spawn}, so its pid is in the run's state
 * file (crash sweep) and it is killed when the run closes; it also exits by itself when its parent
 * JVM is gone.
 */
public final class TcpRelayProcess implements AutoCloseable {
    /** Longest the relay may take to bind its addresses. */
    private static final long READY_TIMEOUT_SECONDS = 20;

    private static final String SCRIPT = loadScript();

    private final Process process;

    private TcpRelayProcess(Process process) {
        this.process = process;
    }

    /** The Python interpreter used (the system's, not a version-manager shim), or null if there is none. */
    public static String python() {
        for (String p : List.of("/usr/bin/python3", "/bin/python3")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return Tools.find("python3");
    }

    /** True when the relay can run here ({@code python3} and {@code bash} exist). */
    public static boolean isAvailable() {
        return python() != null && Tools.find("bash") != null;
    }

    /**
     * Starts the relay in {@code container}'s namespace of {@code topo}, listening on {@code listen}
     * (a null or wildcard address means 0.0.0.0) and forwarding to {@code unixSocket}.
     *
     * @param commandLine its {@code /proc/PID/cmdline} (argv[0]; no further arguments)
     * @param processName its {@code /proc/PID/comm} (at most 15 characters)
     */
    public static TcpRelayProcess start(LinuxTopology topo, String container, String commandLine, String processName,
            List<InetSocketAddress> listen, Path unixSocket) {
        String py = python();
        if (py == null) {
            throw new IllegalStateException("python3 not found: the TCP relay needs it");
        }
        String program = program(processName, unixSocket, listen);
        // bash's exec -a sets argv[0]; python3 without arguments runs the program from its stdin
        Process p = topo.spawn(container, List.of("bash", "-c", "exec -a \"$0\" " + py, commandLine));
        TcpRelayProcess relay = new TcpRelayProcess(p);
        try (OutputStream in = p.getOutputStream()) {
            in.write(program.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // it died early: its output says why
        }
        String line;
        InputStream out = p.getInputStream();
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                first.complete(new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8)).readLine());
            } catch (IOException e) {
                first.complete(null);
            }
        }, "relay-ready-" + container);
        reader.setDaemon(true);
        reader.start();
        try {
            line = first.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            relay.close();
            throw new IllegalStateException("TCP relay in " + container + " not ready after " + READY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            relay.close();
            throw new IllegalStateException("interrupted starting the TCP relay in " + container, e);
        } catch (ExecutionException e) {
            relay.close();
            throw new IllegalStateException(e.getCause());
        }
        if (!"ready".equals(line)) {
            String err = drain(p.getErrorStream(), p);
            relay.close();
            if (line != null && line.startsWith("error bind ")) {
                String what = line.substring("error bind ".length());
                throw new UncheckedIOException("bind " + what + " in " + topo.namespaceOf(container),
                        new IOException(what));
            }
            throw new IllegalStateException("TCP relay in " + container + " failed: "
                    + (line != null ? line : "exited " + exitCode(p)) + (err.isBlank() ? "" : ": " + err.strip()));
        }
        // nothing more comes on these pipes (the relay points its stdout/stderr at /dev/null)
        closeQuietly(out);
        closeQuietly(p.getErrorStream());
        return relay;
    }

    /**
     * The relay's Python program for these parameters (what {@link #start} feeds to {@code python3} on
     * stdin; also runnable as a file): it takes no arguments, so the command line stays the image's.
     */
    public static String program(String processName, Path unixSocket, List<InetSocketAddress> listen) {
        if (processName.isEmpty() || processName.length() > 15 || processName.contains(" ") || processName.contains("\n")) {
            throw new IllegalArgumentException("bad process name '" + processName + "'");
        }
        StringBuilder config = new StringBuilder();
        config.append("comm ").append(processName).append('\n');
        config.append("unix ").append(unixSocket).append('\n');
        for (InetSocketAddress a : listen) {
            String host = a.getAddress() == null || a.getAddress().isAnyLocalAddress() ? "0.0.0.0" : a.getAddress().getHostAddress();
            config.append("listen ").append(host).append(' ').append(a.getPort()).append('\n');
        }
        return "CONFIG = \"" + HexFormat.of().formatHex(config.toString().getBytes(StandardCharsets.UTF_8)) + "\"\n" + SCRIPT;
    }

    /** The relay's pid (the process that owns the listening sockets). */
    public long pid() {
        return process.pid();
    }

    /** True while the relay runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the relay (its listening sockets and open connections close with it) and waits for it to go. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String drain(InputStream err, Process p) {
        try {
            p.waitFor(2, TimeUnit.SECONDS);
            return p.isAlive() ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String exitCode(Process p) {
        try {
            return p.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static String loadScript() {
        try (InputStream in = TcpRelayProcess.class.getResourceAsStream("tcp_relay.py")) {
            if (in == null) {
                throw new IllegalStateException("tcp_relay.py missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
