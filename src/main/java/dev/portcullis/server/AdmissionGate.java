package dev.portcullis.server;

import java.util.concurrent.Semaphore;

/**
 * The requests a listener works on at once. A request past the limit waits, in arrival order, before
 * Helidon parses it: its bytes wait in the socket's kernel buffer, not on the heap, and a storm of
 * ten thousand clients holds ten thousand read buffers instead of ten thousand half-built answers.
 */
final class AdmissionGate {
    private final Semaphore permits;
    private final int size;

    /** @param size requests worked on at once; 0 lets every request in at once */
    AdmissionGate(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        this.size = size;
        // Fair: first come, first served, so that no client of a storm waits past its time-out while
        // later ones are let in.
        this.permits = new Semaphore(size, true);
    }

    /** Waits for a place; false if the thread was interrupted (the server is stopping). */
    boolean enter() {
        if (size == 0) {
            return true;
        }
        try {
            permits.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives back the place {@link #enter} took. */
    void leave() {
        if (size > 0) {
            permits.release();
        }
    }

    /** Requests waiting for a place now (an estimate, for the metric). */
    int waiting() {
        return size == 0 ? 0 : permits.getQueueLength();
    }

    /** Requests being worked on now. */
    int inProgress() {
        return size == 0 ? 0 : size - permits.availablePermits();
    }
}
