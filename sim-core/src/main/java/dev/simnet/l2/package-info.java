/**
 * Layer 2: the Linux bridge (learning, ageing, flooding, hairpin) and its forwarding database.
 */
package dev.simnet.l2;
