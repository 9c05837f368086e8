package run.creativeai.client;

import java.time.Duration;

/**
 * How the client waits between attempts and polls. The default sleeps the thread; tests give one that
 * moves a clock instead, so retry and wait logic runs without sleeping.
 */
@FunctionalInterface
public interface Sleeper {
    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000));

    void sleep(Duration duration) throws InterruptedException;
}
