package dev.simnet.api;

import dev.simnet.scenarios.compose.ComposeException;
import dev.simnet.scenarios.compose.ComposeFile;
import dev.simnet.scenarios.compose.ComposeParser;
import dev.simnet.scenarios.docker.ControlPlane;
import dev.simnet.scenarios.docker.DockerOptions;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.ScenarioEngineProvider;
import dev.simnet.scenarios.steps.ReportPrinter;
import dev.simnet.scenarios.steps.ScenarioRunner;
import dev.simnet.scenarios.steps.SimnetSpec;
import dev.simnet.scenarios.steps.StepsParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses how a topology runs — backend, seed, project name, packet capture — and starts it.
 * Obtained from {@link Simnet}; each call returns this builder.
 */
public final class SimnetBuilder {
    private final Path file;
    private final String yaml;
    private String projectName;
    private Backend backend = Backend.SIM;
    private Long seed;
    private Path captureDir;

    SimnetBuilder(Path file, String yaml, String projectName) {
        this.file = file;
        this.yaml = yaml;
        this.projectName = projectName;
    }

    /** The backend (default {@link Backend#SIM}). */
    public SimnetBuilder backend(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
        return this;
    }

    /** The seed driving every random choice (MACs, ports, loss); default: the file's {@code x-simnet.seed}, else 0. */
    public SimnetBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Overrides the compose project name (as {@code docker compose -p NAME}). */
    public SimnetBuilder project(String name) {
        this.projectName = name;
        return this;
    }

    /** Captures every frame into pcap files in {@code dir} from the first packet on. */
    public SimnetBuilder capture(Path dir) {
        this.captureDir = dir;
        return this;
    }

    /**
     * Parses the compose file, builds the Docker control plane and realises it on the backend.
     *
     * @throws SimnetException             when the compose file is invalid (the message names file, line and column)
     * @throws BackendUnavailableException when the backend cannot run here
     */
    public SimnetHandle start() {
        Loaded l = load();
        ScenarioEngine engine = engine(l.project.options().seed());
        try {
            if (captureDir != null) {
                createDir(captureDir);
                engine.capture(captureDir);
            }
            engine.build(l.project.plan());
            for (dev.simnet.scenarios.engine.Impairment i : l.spec.impairments()) {
                engine.impair(i);
            }
        } catch (RuntimeException e) {
            engine.close();
            throw e instanceof SimnetException ? e : new SimnetException("cannot start " + source() + ": " + e.getMessage(), e);
        }
        return new EngineHandle(backend, l.project, engine, captureDir);
    }

    /**
     * Runs the compose file's {@code x-simnet} steps as {@code simnet run} does (a fresh project,
     * closed afterwards) and returns the report.
     */
    public StepsReport runSteps() {
        Loaded l = load();
        try (ScenarioEngine engine = engine(l.project.options().seed())) {
            if (captureDir != null) {
                createDir(captureDir);
                engine.capture(captureDir);
            }
            ScenarioRunner.Report r = ScenarioRunner.run(l.project, l.spec, engine, backend.id(), null);
            String text = new ReportPrinter(true).text(r, engine.now());
            return new StepsReport(r.passed(), r.expectations(), r.failures(), text);
        }
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SimnetException("cannot create capture directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private String source() {
        return file != null ? file.toString() : "topology";
    }

    private record Loaded(SimnetSpec spec, DockerProject project) {
    }

    private Loaded load() {
        try {
            ComposeFile compose;
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new SimnetException(file + ": no such file");
                }
                compose = ComposeParser.parseFile(file, new ComposeParser.Options(projectName, ComposeParser.environmentFor(file)));
            } else {
                compose = ComposeParser.parse(yaml, "compose.yaml", Path.of("").toAbsolutePath(),
                        new ComposeParser.Options(projectName, Map.of()));
            }
            SimnetSpec spec = StepsParser.parse(compose, file);
            DockerOptions options = spec.options(DockerOptions.defaults(), seed);
            return new Loaded(spec, ControlPlane.build(compose, options));
        } catch (ComposeException e) {
            throw new SimnetException(e.getMessage(), e);
        }
    }

    /** Why {@code backend} cannot run here, or null when it can. */
    static String unavailabilityCause(Backend backend) {
        java.util.Optional<ScenarioEngineProvider> p = ScenarioEngineProvider.find(backend.id());
        if (p.isEmpty()) {
            return "no '" + backend.id() + "' engine is on the class path (its backend module is not integrated in this build)";
        }
        return p.get().unavailabilityCause();
    }

    private ScenarioEngine engine(long seed) {
        String cause = unavailabilityCause(backend);
        if (cause != null) {
            throw new BackendUnavailableException(backend, cause);
        }
        return ScenarioEngineProvider.find(backend.id()).orElseThrow().create(seed);
    }
}
