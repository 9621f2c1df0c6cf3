package dev.portcullis.server;

import java.util.function.Supplier;

/**
 * Runs a decision on a virtual thread of its own while the connection's thread waits for it. A
 * virtual thread keeps, for its whole life, a stack chunk as large as the deepest stack it ever
 * parked with; a token decision parks deep (waiting for its audit record to be durable), so a
 * keep-alive connection that made one decision would hold that chunk while idle for minutes. On a
 * thread that ends with the decision, the deep chunk goes with it, and the connection's own thread
 * parks no deeper than the handler: 2 KB less for each idle connection (BENCHMARKS.md, the storm).
 */
final class DecisionThread {
    private DecisionThread() {
    }

    /** The work's result, or its unchecked exception, as if it had run on the calling thread. */
    static <T> T call(Supplier<T> work) {
        Outcome<T> outcome = new Outcome<>();
        Thread thread = Thread.ofVirtual().name("decision").start(() -> outcome.run(work));
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                // A stopping server interrupts its connections; the decision in flight is short and
                // its audit record must be written, so it is waited for, and the interrupt kept.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcome.get();
    }

    /** What the work gave back; read only after the thread that wrote it has ended (join orders it). */
    private static final class Outcome<T> {
        private T value;
        private Throwable failure;

        void run(Supplier<T> work) {
            try {
                value = work.get();
            } catch (Throwable e) {
                failure = e;
            }
        }

        T get() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return value;
        }
    }
}
