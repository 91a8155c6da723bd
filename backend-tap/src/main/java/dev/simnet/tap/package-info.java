/**
 * The TAP backend: real kernel namespaces running real programs, whose network between them — the
 * Docker host's bridges, routing, Docker's rule set, conntrack, NAT — is simnet's engine in wall-clock
 * mode, reached through TAP devices (what slirp4netns and passt do for one container, done for a whole
 * compose project).
 *
 * <ul>
 *   <li>{@link dev.simnet.tap.TapBackend}: availability (root, CAP_NET_ADMIN/SYS_ADMIN, iproute2,
 *       nftables, {@code /dev/net/tun}) and {@code build}.</li>
 *   <li>{@link dev.simnet.tap.TapNetwork}: one run — the Linux backend's namespaces, files, embedded
 *       DNS, state file and cleanup, with TAPs instead of veth pairs, and the simulated Docker host.</li>
 *   <li>{@link dev.simnet.tap.TapDevice}: a TAP born inside its namespace; {@link dev.simnet.tap.TapPort}:
 *       its engine-side {@code NetDevice}; {@link dev.simnet.tap.Offload}: virtio_net_hdr offloads
 *       completed in software when a frame is routed.</li>
 * </ul>
 */
package dev.simnet.tap;
