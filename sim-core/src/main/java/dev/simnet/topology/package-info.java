/**
 * The Docker control plane's output as plain data: networks with their subnets and bridges,
 * containers with their endpoints, names and published ports. The compose front end produces a
 * {@link dev.simnet.topology.TopologyPlan}; the simulator and the kernel backends build from it, so
 * every backend runs the same plan.
 */
package dev.simnet.topology;
