package dev.simnet.scenarios.steps;

import dev.simnet.scenarios.compose.Location;
import dev.simnet.scenarios.engine.Impairment;
import java.util.List;

/**
 * One scenario step from {@code x-simnet.steps}. Each step has an optional display name and the
 * location it was written at.
 */
public sealed interface Step {
    /** The step's name (given, or derived from what it does). */
    String name();

    /** Where the step was written. */
    Location location();

    /**
     * Run a command and check its result.
     *
     * @param target  {@code service} (first replica), {@code service#N}, a container name, {@code host} or {@code internet}
     * @param targetKind which of the three
     * @param replica replica number for a service target
     * @param argv    the command (with any {@code $(…)} left as written words)
     * @param line    the command as written when given as a string (null for a list); a line with
     *                {@code $(…)} command substitution is split again at run time
     * @param expect  expectations, checked in order
     * @param expectOn per backend name, expectations that replace {@code expect} on that backend, with the reason
     */
    record Exec(String name, Location location, TargetKind targetKind, String target, int replica, List<String> argv,
                String line, List<Expectation> expect, java.util.Map<String, BackendExpect> expectOn) implements Step {
        /** Copies {@code expectOn} (in written order). */
        public Exec {
            expectOn = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(expectOn));
        }

        /** An exec step whose expectations are the same on every backend. */
        public Exec(String name, Location location, TargetKind targetKind, String target, int replica, List<String> argv,
                    String line, List<Expectation> expect) {
            this(name, location, targetKind, target, replica, argv, line, expect, java.util.Map.of());
        }

        /** The replacement for {@code backend}, or null when {@code expect} applies there. */
        public BackendExpect overrideFor(String backend) {
            return expectOn.get(backend);
        }

        /** The expectations checked on {@code backend}. */
        public List<Expectation> expectationsFor(String backend) {
            BackendExpect b = overrideFor(backend);
            return b == null ? expect : b.expect();
        }
    }

    /** The backend names an {@code expect_on} entry may name. */
    List<String> BACKENDS = List.of("sim", "linux", "tap");

    /**
     * An exec step's expectations on one backend, replacing its {@code expect} there, because that
     * backend legitimately shows something else (a TAP device has no veth peer: no {@code eth0@ifN}).
     *
     * @param backend  backend name ({@link #BACKENDS})
     * @param because  why this backend differs (printed in the report with the expectations it replaces)
     * @param expect   what is checked there instead (may be empty: nothing is)
     * @param location where the entry was written
     */
    record BackendExpect(String backend, String because, List<Expectation> expect, Location location) {
    }

    /** Where an exec step runs. */
    enum TargetKind {
        /** A compose service (replica given). */
        SERVICE,
        /** A container by exact name. */
        CONTAINER,
        /** The Docker host. */
        HOST,
        /** The simulated internet. */
        INTERNET
    }

    /** Advance virtual time. */
    record Sleep(String name, Location location, long nanos) implements Step {
    }

    /** {@code docker compose stop SERVICE} (all replicas, or one). */
    record Stop(String name, Location location, String service, int replica) implements Step {
    }

    /** {@code docker compose start SERVICE}. */
    record Start(String name, Location location, String service, int replica) implements Step {
    }

    /** {@code docker network connect NETWORK CONTAINER}. */
    record Connect(String name, Location location, String service, int replica, String network, List<String> aliases,
                   String ipv4Address) implements Step {
    }

    /** {@code docker network disconnect NETWORK CONTAINER}. */
    record Disconnect(String name, Location location, String service, int replica, String network) implements Step {
    }

    /** Change a link's impairments. */
    record Impair(String name, Location location, Impairment impairment) implements Step {
    }
}
