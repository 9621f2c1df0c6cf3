package dev.portcullis.registryauth;

import dev.portcullis.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Successful logins, remembered in memory only for a short time so that bcrypt (slow by design) runs
 * once per client rather than once per token. Entries are keyed by an HMAC of the credentials under a
 * key made at start: neither the password nor a plain hash of it is ever held.
 */
final class CredentialCache {
    private static final int MAX_ENTRIES = 50_000;

    private record Entry(AuthnResult.Authenticated result, Instant expires) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    // Keyed once; each lookup works on a clone, which skips the provider search and the key schedule.
    private final Mac keyedMac;
    private final Duration ttl;
    private final Clock clock;

    CredentialCache(Duration ttl, Clock clock) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            this.keyedMac = Mac.getInstance("HmacSHA256");
            keyedMac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    AuthnResult.Authenticated get(String account, Secret password) {
        if (ttl.isZero()) {
            return null;
        }
        String k = key(account, password);
        Entry e = entries.get(k);
        if (e == null) {
            return null;
        }
        if (!e.expires().isAfter(clock.instant())) {
            entries.remove(k, e);
            return null;
        }
        return e.result();
    }

    void put(String account, Secret password, AuthnResult.Authenticated result) {
        if (ttl.isZero()) {
            return;
        }
        Instant now = clock.instant();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> !e.expires().isAfter(now));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key(account, password), new Entry(result, now.plus(ttl)));
    }

    int size() {
        return entries.size();
    }

    private String key(String account, Secret password) {
        try {
            Mac mac = (Mac) keyedMac.clone();
            mac.update(account.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(password.reveal().getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 cannot be cloned", e);
        }
    }

}
