package dev.simnet.scenarios.compose;

import java.nio.file.Path;

/**
 * A service volume; only bind mounts of files matter to simnet (it reads them, for example an
 * nginx configuration, to know which ports a program listens on).
 *
 * @param type     {@code bind}, {@code volume}, {@code tmpfs}…
 * @param source   source as written (path or volume name), or null
 * @param resolved bind source resolved against the compose file's folder, or null
 * @param target   path inside the container
 * @param readOnly mounted read-only
 * @param location where it was written
 */
public record VolumeSpec(String type, String source, Path resolved, String target, boolean readOnly, Location location) {
}
