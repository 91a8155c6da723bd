package dev.simnet.scenarios.steps;

import dev.simnet.scenarios.docker.DockerOptions;
import dev.simnet.scenarios.engine.Impairment;
import java.util.List;

/**
 * The {@code x-simnet} block of a compose file (or its separate {@code <name>.simnet.yaml}).
 *
 * @param source        where it came from (the compose file, or the separate file's name), null when absent
 * @param description   free text shown in the report header, or null
 * @param seed          the seed, or null for the default (1) unless {@code --seed} is given
 * @param userlandProxy the daemon's userland-proxy setting, or null for the default (true)
 * @param macScheme     MAC scheme, or null for the default (Docker 28+ random)
 * @param impairments   link impairments applied before the first step
 * @param steps         the steps, in order
 */
public record SimnetSpec(String source, String description, Long seed, Boolean userlandProxy,
                         DockerOptions.MacScheme macScheme, List<Impairment> impairments, List<Step> steps) {

    /** No block at all. */
    public static SimnetSpec empty() {
        return new SimnetSpec(null, null, null, null, null, List.of(), List.of());
    }

    /** Daemon options from this block over {@code base}; an explicit {@code seedOverride} wins. */
    public DockerOptions options(DockerOptions base, Long seedOverride) {
        DockerOptions o = base;
        if (seedOverride != null) {
            o = o.withSeed(seedOverride);
        } else if (seed != null) {
            o = o.withSeed(seed);
        }
        if (userlandProxy != null) {
            o = o.withUserlandProxy(userlandProxy);
        }
        if (macScheme != null) {
            o = o.withMacScheme(macScheme);
        }
        return o;
    }
}
