package dev.simnet.scenarios.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Loaded;
import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ss -p} inside a shared network namespace shows only the asking container's own processes
 * (each container has its own PID namespace, its main process is PID 1 there), as on Docker.
 */
class PidNamespaceViewTest {

    @Test
    void ssInTheJoiningContainerNamesOnlyItsOwnNginx() throws Exception {
        Path file = Path.of("examples/article-shared/compose.yaml");
        Loaded loaded = Loaded.load(file, null, 1L);
        try (SimEngine engine = new SimEngine(1L)) {
            engine.build(loaded.project().plan());
            String nginxB = loaded.project().containersOf("nginx_b").get(0).name();
            ExecResult r = engine.exec(ExecTarget.container(nginxB), Argv.split("ss -tlnp"));
            assertEquals(0, r.exit(), r.stderr());
            assertTrue(Pattern.compile("(?m)0\\.0\\.0\\.0:9080\\s.*users:\\(\\(\"nginx\",pid=1,").matcher(r.stdout()).find(), r.stdout());
            assertTrue(Pattern.compile("(?m)0\\.0\\.0\\.0:80\\s+0\\.0\\.0\\.0:\\*\\s*$").matcher(r.stdout()).find(),
                    "nginx_a's listener is shown without a process: " + r.stdout());
        }
    }
}
