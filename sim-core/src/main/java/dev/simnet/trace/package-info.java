/**
 * The packet-walk trace seam used by simnet trace.
 */
package dev.simnet.trace;
