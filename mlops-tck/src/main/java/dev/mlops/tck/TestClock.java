package dev.mlops.tck;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock the kit sets by hand, and can make fail on exactly one later call: stores read the clock in
 * the middle of writes, so a failing clock is the simplest way to make a write fail halfway. Thread-safe.
 */
final class TestClock implements InstantSource {
    /** What the clock throws on the call it was told to fail. */
    static final class ClockFailure extends RuntimeException {
        ClockFailure(long call) {
            super("test clock fails on call " + call + ", as the contract kit asked");
        }
    }

    private final AtomicReference<Instant> now;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failOn = new AtomicLong(-1);
    private volatile boolean failed;

    TestClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
        long call = calls.incrementAndGet();
        if (call == failOn.get()) {
            failed = true;
            throw new ClockFailure(call);
        }
        return now.get();
    }

    void set(Instant t) {
        now.set(t);
    }

    void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    /** @param k 1 fails the next call, 2 the one after, and so on; only that one call fails */
    void failOnCallFromNow(int k) {
        failed = false;
        failOn.set(calls.get() + k);
    }

    void heal() {
        failOn.set(-1);
    }

    /** @return whether the armed failure was thrown */
    boolean failed() {
        return failed;
    }
}
