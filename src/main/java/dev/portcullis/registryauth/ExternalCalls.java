package dev.portcullis.registryauth;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The calls to external authenticators and authorizers ({@code ext_auth}, {@code ldap_auth},
 * {@code ext_authz}, {@code http_authz}) by outcome, and whether a hook's circuit is open: what an
 * operator graphs to see a directory or an endpoint failing before the users say so.
 */
public final class ExternalCalls {
    /** The hooks, by the configuration section that sets them up. */
    public static final List<String> HOOKS = List.of("ext_auth", "ldap_auth", "ext_authz", "http_authz");
    /** A yes (authenticated, some actions granted), a no, an account or request it does not know, or no answer. */
    public static final List<String> OUTCOMES = List.of("ok", "refused", "no_match", "error");

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, BooleanSupplier> circuits = new ConcurrentHashMap<>();

    ExternalCalls() {
        for (String h : HOOKS) {
            for (String o : OUTCOMES) {
                counts.put(h + "/" + o, new LongAdder());
            }
        }
    }

    void count(String hook, String outcome) {
        LongAdder a = counts.get(hook + "/" + outcome);
        if (a != null) {
            a.increment();
        }
    }

    void circuit(String hook, BooleanSupplier open) {
        circuits.put(hook, open);
    }

    /** Calls of {@code hook} that ended in {@code outcome} since the start. */
    public long calls(String hook, String outcome) {
        LongAdder a = counts.get(hook + "/" + outcome);
        return a == null ? 0 : a.sum();
    }

    /** Whether the hook's circuit breaker refuses calls now (open or half-open); false for a hook without one. */
    public boolean circuitOpen(String hook) {
        BooleanSupplier s = circuits.get(hook);
        return s != null && s.getAsBoolean();
    }

    /** An authenticator counted as {@code hook}. */
    Authenticator counted(String hook, Authenticator inner) {
        return new Authenticator() {
            @Override
            public AuthnResult authenticate(String account, dev.portcullis.config.Secret password) {
                try {
                    AuthnResult r = inner.authenticate(account, password);
                    count(hook, switch (r) {
                        case AuthnResult.Authenticated a -> "ok";
                        case AuthnResult.Rejected x -> "refused";
                        case AuthnResult.NoMatch n -> "no_match";
                    });
                    return r;
                } catch (RuntimeException e) {
                    count(hook, "error");
                    throw e;
                }
            }

            @Override
            public AccountState lookup(String account) {
                return inner.lookup(account);
            }
        };
    }

    /** An authorizer counted as {@code hook}. */
    Authorizer counted(String hook, Authorizer inner) {
        return request -> {
            try {
                AuthzResult r = inner.authorize(request);
                count(hook, switch (r) {
                    case AuthzResult.Decided d -> d.actions().isEmpty() ? "refused" : "ok";
                    case AuthzResult.NoMatch n -> "no_match";
                });
                return r;
            } catch (RuntimeException e) {
                count(hook, "error");
                throw e;
            }
        };
    }
}
