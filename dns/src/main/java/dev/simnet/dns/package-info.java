/**
 * Docker's embedded DNS server (127.0.0.11) as a transport-free core on dnsjava: the record model
 * ({@link dev.simnet.dns.DnsNetwork}, {@link dev.simnet.dns.DnsContainer},
 * {@link dev.simnet.dns.DnsEndpoint}), the copy-on-write record set ({@link dev.simnet.dns.DnsRecords}
 * publishing immutable {@link dev.simnet.dns.DnsIndex} snapshots), the server
 * ({@link dev.simnet.dns.EmbeddedDnsServer}), forwarding ({@link dev.simnet.dns.Forwarder}) through
 * the {@link dev.simnet.dns.UpstreamTransport} and {@link dev.simnet.dns.DnsTimer} seams, and an
 * authoritative zone server ({@link dev.simnet.dns.AuthoritativeServer}) for the "internet".
 * Nothing here depends on the simulator; adapters live in {@code dns.topology} (plan, scheduler)
 * and {@code dns.net} (real sockets).
 */
package dev.simnet.dns;
