/**
 * IPv4 routing table, reassembly and the IP layer's drop reasons.
 */
package dev.simnet.ip;
