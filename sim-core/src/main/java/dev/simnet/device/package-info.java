/**
 * Simulated network devices: the narrow NetDevice interface, veth pairs, loopback, the receive backlog and the egress qdisc seam (capture taps and netem sit around the driver, not inside it).
 */
package dev.simnet.device;
