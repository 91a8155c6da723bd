package dev.simnet.scenarios.engine.linux;

import dev.simnet.linux.LinuxBackend;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.ScenarioEngineProvider;

/** Registers {@code --backend linux} ({@link LinuxScenarioEngine}) with the CLI through ServiceLoader. */
public final class LinuxEngineProvider implements ScenarioEngineProvider {
    @Override
    public String name() {
        return "linux";
    }

    @Override
    public String unavailabilityCause() {
        String cause = LinuxBackend.unavailabilityCause();
        return cause != null ? cause : LinuxBackend.rulesToolCause();
    }

    @Override
    public ScenarioEngine create(long seed) {
        LinuxBackend.ensureAvailability();
        String tool = LinuxBackend.rulesToolCause();
        if (tool != null) {
            throw new UnsupportedOperationException("Linux backend unavailable: " + tool);
        }
        // our servers bind IPv4 sockets, as nginx and Docker's resolver do (ss shows 0.0.0.0:80, 127.0.0.11:N);
        // effective for sockets whose class opens them without a family if no socket was made before this
        if (System.getProperty("java.net.preferIPv4Stack") == null) {
            System.setProperty("java.net.preferIPv4Stack", "true");
        }
        return new LinuxScenarioEngine();
    }

    /** {@code simnet down --all}: removes what killed runs left (namespaces, mounts, files, processes). */
    @Override
    public int cleanupAll() {
        LinuxBackend.SweepReport r = LinuxBackend.sweepStale();
        return r.namespaces() + r.etcDirs() + r.processes();
    }
}
