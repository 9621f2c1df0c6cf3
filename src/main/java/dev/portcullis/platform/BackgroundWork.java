package dev.portcullis.platform;

/** Work a capability runs beside the requests (a feed follower, a rescan), with a lifecycle. */
public interface BackgroundWork {
    String name();

    /** Starts it; returns at once (the work runs on threads of its own). */
    void start();

    /** Stops it and waits for it to end; called once, at shutdown. */
    void stop();

    /** How it is doing now, for {@code /readyz}. */
    Health health();

    /** The state of one piece of background work; {@code detail} is shown to operators (no secrets). */
    record Health(boolean healthy, String detail) {
        public static Health ok() {
            return new Health(true, "ok");
        }
    }
}
