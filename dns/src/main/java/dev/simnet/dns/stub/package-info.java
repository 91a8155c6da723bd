/**
 * The client side for simulated programs: resolv.conf and hosts parsing, a stub resolver with
 * glibc's search, retry and timeout rules, and renderers of {@code dig} and {@code nslookup} output.
 */
package dev.simnet.dns.stub;
