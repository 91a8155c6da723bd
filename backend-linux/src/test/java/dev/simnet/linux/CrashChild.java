package dev.simnet.linux;

import java.time.Duration;
import java.util.List;

/**
 * Main run in a child JVM by {@link CrashCleanupTest}: builds the small plan, starts a {@code sleep}
 * in a container namespace, prints {@code RUN id} and {@code PID pid}, then starts a second, larger
 * build and prints {@code MIDWAY} (and hangs) after its third namespace — where the parent
 * {@code kill -9}s it. With argument {@code wait} it prints {@code READY} after the first build and
 * waits for a SIGTERM instead.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        LinuxTopology first = LinuxBackend.build(TestPlans.small(),
                LinuxTopology.Options.defaults().withProgress(p -> {
                    if (p.startsWith("run ")) {
                        System.out.println("RUN " + p.substring(4));
                    }
                }));
        Process sleeper = first.spawn("t-db-1", List.of("sleep", "600"));
        System.out.println("PID " + sleeper.pid());
        CommandResult ok = first.exec("t-web-1", Duration.ofSeconds(5), "ping", "-c1", "-W1", "172.18.0.3");
        System.out.println("PING " + ok.exitCode());
        System.out.flush();
        if (args.length > 0 && args[0].equals("wait")) {
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(600_000); // SIGTERM lands here: the shutdown hook must clean up
            return;
        }
        LinuxBackend.build(SyntheticPlans.spread(12, 2, 7), LinuxTopology.Options.defaults()
                .withProgress(p -> {
                    if (p.startsWith("run ")) {
                        System.out.println("RUN " + p.substring(4));
                        System.out.flush();
                    }
                })
                .withAfterNamespace(n -> {
                    if (n == 3) {
                        System.out.println("MIDWAY");
                        System.out.flush();
                        try {
                            Thread.sleep(600_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }));
    }
}
