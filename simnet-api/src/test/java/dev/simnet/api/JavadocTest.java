package dev.simnet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every public type and member of {@code dev.simnet.api} carries a Javadoc comment (javac's doclint "missing" check). */
class JavadocTest {
    @Test
    void everyPublicTypeAndMemberIsDocumented(@TempDir Path out) throws IOException {
        Path src = Path.of("src/main/java/dev/simnet/api");
        List<Path> files;
        try (Stream<Path> s = Files.list(src)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() > 20, "found the API sources in " + src.toAbsolutePath());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "needs a JDK");
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
            List<String> options = List.of("-Xdoclint:missing/protected", "-Xmaxwarns", "10000", "-proc:none",
                    "-d", out.toString(), "-cp", System.getProperty("java.class.path"));
            boolean ok = javac.getTask(null, fm, diags, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            assertTrue(ok, diags.getDiagnostics().toString());
        }
        List<String> missing = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
            String m = d.getMessage(Locale.ROOT);
            if (m.contains("no comment")) {
                missing.add(d.getSource().getName() + ":" + d.getLineNumber() + " " + m);
            }
        }
        assertEquals(List.of(), missing);
    }
}
