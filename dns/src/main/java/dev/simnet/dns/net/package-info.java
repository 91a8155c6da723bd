/**
 * The DNS servers on real UDP/TCP sockets (Linux and TAP backends, tests with the real {@code dig}):
 * {@link dev.simnet.dns.net.SocketDnsServer}, a socket upstream transport and a wall-clock timer.
 */
package dev.simnet.dns.net;
