/**
 * simnet as a library: the stable, documented API a user's own tests call.
 *
 * <p>{@link dev.simnet.api.Simnet} loads a compose file ({@link dev.simnet.api.Simnet#load}) or
 * takes a {@link dev.simnet.api.Topology} built in code, picks a {@link dev.simnet.api.Backend}
 * and a seed, and {@link dev.simnet.api.SimnetBuilder#start() starts} it. The
 * {@link dev.simnet.api.SimnetHandle} runs commands, resolves names, opens TCP/UDP flows, lets
 * virtual time pass, reads namespace state as typed records, captures packets and changes the
 * topology; closing it releases everything.
 *
 * <p>Underneath is the same code the {@code simnet} CLI runs (compose parser, Docker control
 * plane, scenario engine); nothing in this package's signatures mentions engine classes — only
 * types of this package and of {@code java.*}.
 */
package dev.simnet.api;
