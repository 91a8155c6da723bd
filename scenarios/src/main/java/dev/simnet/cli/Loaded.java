package dev.simnet.cli;

import dev.simnet.scenarios.compose.ComposeFile;
import dev.simnet.scenarios.compose.ComposeParser;
import dev.simnet.scenarios.docker.ControlPlane;
import dev.simnet.scenarios.docker.DockerOptions;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.steps.SimnetSpec;
import dev.simnet.scenarios.steps.StepsParser;
import java.nio.file.Path;

/**
 * A compose file read, its steps parsed and the control plane built: what every command starts from.
 *
 * @param compose the parsed compose file
 * @param spec    its {@code x-simnet} block
 * @param project the daemon state (plan, inspect data)
 */
public record Loaded(ComposeFile compose, SimnetSpec spec, DockerProject project) {

    /** Loads {@code file}; {@code seed} (may be null) overrides the file's seed. */
    public static Loaded load(Path file, String projectName, Long seed) {
        ComposeParser.Options opts = new ComposeParser.Options(projectName, ComposeParser.environmentFor(file));
        ComposeFile compose = ComposeParser.parseFile(file, opts);
        SimnetSpec spec = StepsParser.parse(compose, file);
        DockerOptions options = spec.options(DockerOptions.defaults(), seed);
        return new Loaded(compose, spec, ControlPlane.build(compose, options));
    }
}
