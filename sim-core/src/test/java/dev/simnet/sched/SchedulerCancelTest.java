package dev.simnet.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerCancelTest {
    @Test
    void runUntilNeverRunsALiveEventPastTheLimitBehindACancelledOne() {
        Scheduler s = new Scheduler();
        List<Long> ran = new ArrayList<>();
        long id = s.schedule(10, ran::add);
        s.schedule(1_000, ran::add);
        s.cancel(id);
        s.runUntil(500);
        assertEquals(List.of(), ran);
        assertEquals(500, s.now());
        s.runUntil(1_000);
        assertEquals(List.of(1_000L), ran);
    }

    @Test
    void runToQuiescenceWithLimitStopsAtTheLimitToo() {
        Scheduler s = new Scheduler();
        List<Long> ran = new ArrayList<>();
        long id = s.schedule(10, ran::add);
        s.schedule(1_000, ran::add);
        s.cancel(id);
        assertEquals(false, s.runToQuiescence(500));
        assertEquals(List.of(), ran);
    }
}
