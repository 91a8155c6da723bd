package dev.simnet.junit;

import dev.simnet.api.Backend;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test against a fresh simnet topology built from a compose file; a test (or
 * {@code @BeforeEach}) method receives it as a {@link dev.simnet.api.SimnetHandle} parameter, and
 * the handle is closed after the test. On a method it overrides the class's annotation.
 *
 * <pre>{@code
 * @SimnetTest(compose = "src/test/resources/compose.yaml", seed = 42)
 * class MyNetworkTest {
 *     @Test
 *     void webReachesApi(SimnetHandle net) {
 *         assertEquals(0, net.exec("web", "curl", "-s", "api").exitCode());
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SimnetExtension.class)
public @interface SimnetTest {
    /** {@link #seed()}'s default: use the compose file's {@code x-simnet.seed} (else 0). */
    long FILE_SEED = Long.MIN_VALUE;

    /**
     * The compose file: a path (absolute, or relative to the working directory — the module's
     * folder under Maven), else a class-path resource ({@code compose.yaml} from {@code src/test/resources}).
     */
    String compose();

    /** The seed; by default the file's. */
    long seed() default FILE_SEED;

    /**
     * The backend (default the simulator). A backend that cannot run here fails the test with the
     * cause, or skips it (naming the cause) when {@link #skipIfUnavailable()} is set.
     */
    Backend backend() default Backend.SIM;

    /** Skip (abort) instead of failing when the backend cannot run on this machine, e.g. without CAP_NET_ADMIN. */
    boolean skipIfUnavailable() default false;

    /**
     * Capture packets of every test into {@code target/simnet-captures/<test class>/<test method>/};
     * a failing test prints the location.
     */
    boolean capture() default false;

    /** Overrides the compose project name ({@code docker compose -p}); empty keeps the file's. */
    String project() default "";
}
