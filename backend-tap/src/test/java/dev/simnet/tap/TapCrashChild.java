package dev.simnet.tap;

import dev.simnet.linux.CommandResult;
import java.time.Duration;
import java.util.List;

/**
 * Main run in a child JVM by {@link TapCrashCleanupTest}: builds a TAP run, pings across the simulated
 * bridge, starts a {@code sleep} in a container, prints {@code RUN id}, {@code PING code},
 * {@code PID pid} and {@code READY}, then hangs with the engine and TAPs live — where the parent
 * {@code kill -9}s it.
 */
public final class TapCrashChild {
    private TapCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        TapNetwork net = TapBackend.build(TapCrashCleanupTest.plan(), TapNetwork.Options.defaults().withServices(false));
        System.out.println("RUN " + net.runId());
        CommandResult ping = net.exec("tc-a-1", Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "172.18.0.3");
        System.out.println("PING " + ping.exitCode());
        Process sleeper = net.spawn("tc-b-1", List.of("sleep", "600"));
        System.out.println("PID " + sleeper.pid());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
