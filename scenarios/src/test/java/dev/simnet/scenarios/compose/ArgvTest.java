package dev.simnet.scenarios.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgvTest {
    @Test
    void quotingLikeAShell() {
        assertEquals(List.of("curl", "-s", "a b", "c'd", "e\"f", "g h"), Argv.split("curl  -s 'a b' \"c'd\" 'e\"f' g\\ h"));
        assertEquals(List.of("x", ""), Argv.split("x ''"));
        assertEquals(List.of(), Argv.split("   "));
        assertThrows(IllegalArgumentException.class, () -> Argv.split("echo 'x"));
        assertThrows(IllegalArgumentException.class, () -> Argv.split("echo \"x"));
        assertEquals("curl -s 'a b' '{{.X}}'", Argv.join(List.of("curl", "-s", "a b", "{{.X}}")));
    }

    @Test
    void commandSubstitution() {
        String line = "docker inspect $(docker ps -f 'Name=nginx_b' -q) -f '{{.A}} $(not)' \"id=$(echo x)\"";
        assertTrue(Argv.hasSubstitution(line));
        assertFalse(Argv.hasSubstitution("echo '$(no)'"));
        List<String> seen = new java.util.ArrayList<>();
        List<String> argv = Argv.split(line, inner -> {
            seen.add(inner);
            return inner.startsWith("docker") ? "abc123\ndef456\n" : "x\n";
        });
        assertEquals(List.of("docker ps -f 'Name=nginx_b' -q", "echo x"), seen);
        assertEquals(List.of("docker", "inspect", "abc123", "def456", "-f", "{{.A}} $(not)", "id=x"), argv);
        assertThrows(IllegalArgumentException.class, () -> Argv.split("a $(b", s -> ""));
    }
}
