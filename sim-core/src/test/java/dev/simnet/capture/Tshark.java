package dev.simnet.capture;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code tshark} on a capture and returns the decoded fields, one row per packet. */
final class Tshark {
    private Tshark() {
    }

    static String path() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, "tshark");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    static void assumePresent() {
        assumeTrue(path() != null, "tshark is not installed (apt-get install tshark); cannot decode the capture");
    }

    /** {@code tshark -r file -T fields -E separator=| -e f1 -e f2 ...}, rows split into fields. */
    static List<String[]> fields(Path file, String... fields) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(path(), "-n", "-r", file.toString(), "-T", "fields",
                "-E", "separator=|", "-E", "occurrence=f"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tshark did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException("tshark exit " + p.exitValue() + " on " + file + ": " + out);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(Arrays.copyOf(line.split("\\|", -1), fields.length));
            }
        }
        return rows;
    }
}
