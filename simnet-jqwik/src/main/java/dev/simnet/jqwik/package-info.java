/**
 * jqwik generators for simnet: {@link dev.simnet.jqwik.SimnetArbitraries#topologies()} produces
 * compose topologies (networks, services, replicas, aliases, published ports, shared namespaces)
 * and {@link dev.simnet.jqwik.SimnetArbitraries#flows} flows between their services; both shrink
 * towards one service on the default network, and a counterexample prints as a compose file.
 */
package dev.simnet.jqwik;
