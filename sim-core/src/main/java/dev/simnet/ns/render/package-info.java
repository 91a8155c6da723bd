/**
 * Namespace state rendered exactly as iproute2 and util-linux print it.
 */
package dev.simnet.ns.render;
