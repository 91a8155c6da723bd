/**
 * The kernel backend: a {@link dev.simnet.topology.TopologyPlan} built out of real network
 * namespaces, bridges, veth pairs, addresses and routes ({@link dev.simnet.linux.LinuxBackend},
 * {@link dev.simnet.linux.LinuxTopology}); named namespaces made as {@code ip netns add} makes them
 * ({@link dev.simnet.linux.NamespaceFactory}, {@link dev.simnet.linux.NetNamespace}); Java code run
 * inside a namespace ({@link dev.simnet.linux.NetnsExecutor}); Docker 28+'s gratuitous ARPs when a
 * container interface comes up ({@link dev.simnet.linux.ArpAnnouncer}); and crash-proof cleanup through a
 * per-run state file ({@link dev.simnet.linux.RunState}) and a sweep of dead runs. Shared with the
 * TAP backend.
 */
package dev.simnet.linux;
