/**
 * The Simulation facade (scheduler, seeded streams, pool, namespaces) with iproute2-like topology builders, and the TopologyPlan builder.
 */
package dev.simnet.sim;
