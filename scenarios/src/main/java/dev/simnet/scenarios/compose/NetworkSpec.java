package dev.simnet.scenarios.compose;

import java.util.Map;

/**
 * A top-level {@code networks:} entry (bridge driver only).
 *
 * @param key        the key in the file
 * @param name       Docker's name: {@code name:}, else {@code <project>_<key>}; external keeps its name
 * @param external   {@code external: true}
 * @param internal   {@code internal: true}
 * @param subnet     {@code ipam.config[0].subnet} or null
 * @param gateway    {@code ipam.config[0].gateway} or null
 * @param ipRange    {@code ipam.config[0].ip_range} or null
 * @param auxAddresses {@code ipam.config[0].aux_addresses}: reserved addresses
 * @param bridgeName {@code com.docker.network.bridge.name} or null
 * @param icc        {@code com.docker.network.bridge.enable_icc} (default true)
 * @param driverOpts every {@code driver_opts} entry, as written
 * @param labels     {@code labels}
 * @param attachable {@code attachable}
 * @param location   where it was written
 */
public record NetworkSpec(String key, String name, boolean external, boolean internal, String subnet, String gateway,
                          String ipRange, Map<String, String> auxAddresses, String bridgeName, boolean icc,
                          Map<String, String> driverOpts, Map<String, String> labels, boolean attachable,
                          Location location) {
}
