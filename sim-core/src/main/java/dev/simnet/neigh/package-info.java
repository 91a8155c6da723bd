/**
 * ARP and the neighbour table with Linux's NUD states and timers.
 */
package dev.simnet.neigh;
