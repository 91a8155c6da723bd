package dev.simnet.scenarios.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A parsed and validated compose file.
 *
 * @param file     the file name as given
 * @param dir      the folder it lives in (bind mounts are relative to it)
 * @param project  the project name after compose's rules
 * @param services services in file order
 * @param networks networks used by some service, by key, in file order ({@code default} added when needed)
 * @param simnet   the top-level {@code x-simnet} node, or null
 * @param notes    remarks for the user (obsolete {@code version:}, ignored settings)
 */
public record ComposeFile(String file, Path dir, String project, Map<String, ServiceSpec> services,
                          Map<String, NetworkSpec> networks, YamlNode simnet, List<String> notes) {
}
