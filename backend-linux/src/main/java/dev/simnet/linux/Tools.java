package dev.simnet.linux;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Locates system binaries ({@code ip}, {@code iptables-restore}, {@code bridge}) on PATH, /usr/sbin and /sbin. */
public final class Tools {
    private Tools() {
    }

    /** Absolute path of {@code name}, or null if not found. */
    public static String find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Paths.get(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** Like {@link #find} but throws, naming the Debian package that provides it, when missing. */
    public static String require(String name, String debianPackage) {
        String p = find(name);
        if (p == null) {
            throw new IllegalStateException("'" + name + "' not found on PATH, /usr/sbin or /sbin: install the '" + debianPackage
                    + "' package (apt-get install " + debianPackage + ")");
        }
        return p;
    }

    /** Like {@link #find} but throws when missing. */
    public static String require(String name) {
        String p = find(name);
        if (p == null) {
            throw new IllegalStateException("'" + name + "' not found");
        }
        return p;
    }
}
