package dev.simnet.scenarios.compose;

import java.util.List;
import java.util.Map;

/**
 * One parsed service, with only what matters to networking kept.
 *
 * @param name          service key
 * @param image         image reference (or empty when only {@code build:} is given)
 * @param containerName {@code container_name} or null
 * @param hostname      {@code hostname} or null
 * @param ports         published ports
 * @param expose        exposed container ports ({@code expose:}), expanded
 * @param networks      attachments by network key, in file order (empty with network_mode)
 * @param networksGiven true when the service wrote {@code networks:} itself
 * @param networkMode   {@code network_mode} text or null
 * @param links         {@code links}: alias to service (alias equals service when none given)
 * @param dependsOn     {@code depends_on} services (links and {@code service:X} not included)
 * @param replicas      {@code deploy.replicas} / {@code scale} (default 1)
 * @param dns           {@code dns} servers
 * @param extraHosts    {@code extra_hosts} host to address text
 * @param macAddress    service-level {@code mac_address} or null
 * @param volumes       volumes
 * @param command       command as a list (a string command is split like a shell would)
 * @param extensions    the service's {@code x-simnet} block, parsed, or empty
 * @param location      where the service is defined
 * @param locations     where individual keys were written (key name to location), for semantic errors
 */
public record ServiceSpec(String name, String image, String containerName, String hostname, List<PortSpec> ports,
                          List<Integer> expose, Map<String, ServiceNetworkSpec> networks, boolean networksGiven,
                          String networkMode, Map<String, String> links, List<String> dependsOn, int replicas,
                          List<String> dns, Map<String, String> extraHosts, String macAddress, List<VolumeSpec> volumes,
                          List<String> command, Map<String, Object> extensions, Location location,
                          Map<String, Location> locations) {

    /** The location of key {@code key}, or the service's own location. */
    public Location at(String key) {
        return locations.getOrDefault(key, location);
    }

    /** The service whose namespace this one joins ({@code service:X}), or null. */
    public String sharedService() {
        return networkMode != null && networkMode.startsWith("service:") ? networkMode.substring(8) : null;
    }
}
