package dev.portcullis.admission;

import dev.portcullis.image.Digest;
import dev.portcullis.image.ImageReference;
import dev.portcullis.image.RegistryClient;
import dev.portcullis.image.RegistryException;
import dev.portcullis.image.RegistryThrottledException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tags to digests for the mutating webhook, gently: a bounded cache of answers (a digest for
 * {@code cache_ttl}, a failure — no such tag, a refusal — for {@code negative_ttl}), at most
 * {@code max_concurrent_per_registry} look-ups at once per registry, and after a 429 no look-up at that
 * registry until its Retry-After (doubling while it goes on). A look-up that cannot be made now says
 * why; the caller admits the pod unchanged, and the validating webhook judges the tag as a tag.
 */
final class TagResolver {
    /** How long a look-up may wait for one of its registry's places before it gives up. */
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    /** A digest, or why there is none. */
    sealed interface Answer {
        record Resolved(Digest digest) implements Answer {}

        record Unresolved(String reason) implements Answer {}
    }

    private record Cached(Answer answer, Instant until) {}

    private record Backoff(Instant until, Duration last) {}

    private final RegistryClient registry;
    private final MutateSettings settings;
    private final Clock clock;
    private final ReentrantLock cacheLock = new ReentrantLock();
    private final LinkedHashMap<String, Cached> cache;
    private final ConcurrentHashMap<String, Semaphore> places = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Backoff> backoff = new ConcurrentHashMap<>();

    TagResolver(RegistryClient registry, MutateSettings settings, Clock clock) {
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
        // Access order: the least recently used answer leaves first when the cache is full.
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > settings.cacheSize();
            }
        };
    }

    Answer resolve(ImageReference ref) {
        String key = ref.toString();
        Instant now = clock.instant();
        Cached hit = cached(key, now);
        if (hit != null) {
            return hit.answer();
        }
        String host = ref.registry();
        Backoff b = backoff.get(host);
        if (b != null && now.isBefore(b.until())) {
            return new Answer.Unresolved(host + " asked to slow down (429): no look-up before " + b.until());
        }
        Semaphore place = places.computeIfAbsent(host, h -> new Semaphore(settings.maxConcurrentPerRegistry()));
        try {
            if (!place.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return new Answer.Unresolved(host + " has " + settings.maxConcurrentPerRegistry() + " look-ups in flight already");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.Unresolved("interrupted");
        }
        try {
            Digest d = registry.resolveDigest(ref);
            backoff.remove(host);
            return remember(key, new Answer.Resolved(d), settings.cacheTtl());
        } catch (RegistryThrottledException e) {
            Duration next = b == null ? e.retryAfter() : max(e.retryAfter(), min(b.last().multipliedBy(2), MAX_BACKOFF));
            backoff.put(host, new Backoff(clock.instant().plus(next), next));
            return new Answer.Unresolved(e.getMessage() + "; no look-up there for " + next.toSeconds() + " s");
        } catch (RegistryException e) {
            return remember(key, new Answer.Unresolved(e.getMessage()), settings.negativeTtl());
        } finally {
            place.release();
        }
    }

    private Cached cached(String key, Instant now) {
        cacheLock.lock();
        try {
            Cached c = cache.get(key);
            if (c != null && now.isAfter(c.until())) {
                cache.remove(key);
                return null;
            }
            return c;
        } finally {
            cacheLock.unlock();
        }
    }

    private Answer remember(String key, Answer answer, Duration ttl) {
        cacheLock.lock();
        try {
            cache.put(key, new Cached(answer, clock.instant().plus(ttl)));
        } finally {
            cacheLock.unlock();
        }
        return answer;
    }

    /** Answers held now. */
    int cached() {
        cacheLock.lock();
        try {
            return cache.size();
        } finally {
            cacheLock.unlock();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
