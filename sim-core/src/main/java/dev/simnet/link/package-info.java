/**
 * Link impairments with netem's model (delay, jitter distributions, random and Gilbert-Elliott loss, duplicate, corrupt, reorder, rate with a bounded queue), seeded per interface.
 */
package dev.simnet.link;
