package dev.portcullis.registryauth;

import dev.portcullis.config.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the raw query string or form body of {@code /auth} into a {@link TokenRequest}. */
public final class TokenRequestParser {
    /**
     * The longest query or form body taken. A GET's query never gets here that long: the listener
     * refuses a request line over 4,096 bytes first (414); for a POST form this is the limit that answers.
     */
    public static final int MAX_QUERY = 16 * 1024;

    private TokenRequestParser() {}

    /** {@code GET /auth?service=..&scope=..&account=..&offline_token=..&client_id=..} with a Basic header. */
    public static TokenRequest fromQuery(String rawQuery, String authorizationHeader, String clientIp) {
        Map<String, List<String>> q = decode(rawQuery, "query");
        Credentials credentials = Credentials.parseBasic(authorizationHeader);
        String account = single(q, "account");
        if (!account.isEmpty() && !account.equals(credentials.user())) {
            throw new InvalidTokenRequestException("account '" + Text.printable(account)
                    + "' differs from the user name in the Authorization header");
        }
        List<Scope> scopes = new ArrayList<>();
        for (String s : q.getOrDefault("scope", List.of())) {
            scopes.addAll(Scope.parseList(s));
            checkCount(scopes);
        }
        return new TokenRequest(credentials, "", single(q, "service"), scopes,
                bool(single(q, "offline_token")), single(q, "client_id"), clientIp, false);
    }

    /** The OAuth2 form: {@code grant_type=password} with username/password, or {@code grant_type=refresh_token}. */
    public static TokenRequest fromForm(String body, String clientIp) {
        Map<String, List<String>> f = decode(body, "form");
        String grant = single(f, "grant_type");
        String service = single(f, "service");
        String clientId = single(f, "client_id");
        if (clientId.isEmpty()) {
            throw new InvalidTokenRequestException("client_id is required by the OAuth2 token request");
        }
        List<Scope> scopes = Scope.parseList(single(f, "scope"));
        checkCount(scopes);
        boolean offline = "offline".equals(single(f, "access_type"));
        return switch (grant) {
            case "password" -> {
                String user = single(f, "username");
                if (user.isEmpty()) {
                    throw new InvalidTokenRequestException("grant_type=password needs username and password");
                }
                yield new TokenRequest(new Credentials(user, Secret.of(single(f, "password"))), "", service, scopes,
                        offline, clientId, clientIp, true);
            }
            case "refresh_token" -> {
                String refresh = single(f, "refresh_token");
                if (refresh.isEmpty()) {
                    throw new InvalidTokenRequestException("grant_type=refresh_token needs refresh_token");
                }
                yield new TokenRequest(Credentials.ANONYMOUS, refresh, service, scopes, offline, clientId, clientIp, true);
            }
            case "" -> throw new InvalidTokenRequestException("grant_type is required (password or refresh_token)");
            default -> throw new InvalidTokenRequestException("unsupported grant_type '" + Text.printable(grant)
                    + "' (password or refresh_token)");
        };
    }

    private static void checkCount(List<Scope> scopes) {
        if (scopes.size() > TokenRequest.MAX_SCOPES) {
            throw new InvalidTokenRequestException("too many scopes (at most " + TokenRequest.MAX_SCOPES + ")");
        }
    }

    private static boolean bool(String s) {
        return s.equalsIgnoreCase("true") || s.equals("1");
    }

    private static String single(Map<String, List<String>> params, String key) {
        List<String> values = params.getOrDefault(key, List.of());
        if (values.size() > 1) {
            throw new InvalidTokenRequestException("parameter '" + key + "' given more than once");
        }
        return values.isEmpty() ? "" : values.get(0);
    }

    /** Percent-decodes {@code a=b&c=d}, refusing bad escapes, non-UTF-8 bytes and oversize input. */
    static Map<String, List<String>> decode(String raw, String what) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        if (raw.length() > MAX_QUERY) {
            throw new InvalidTokenRequestException(what + " longer than " + MAX_QUERY + " bytes");
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = percentDecode(eq < 0 ? pair : pair.substring(0, eq), what, true);
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), what, true);
            if (value.indexOf('\0') >= 0 || key.indexOf('\0') >= 0) {
                throw new InvalidTokenRequestException(what + " parameter '" + Text.printable(key) + "' contains NUL");
            }
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** Percent-decodes one path segment, e.g. an account name in an admin route: a '+' is a '+' there. */
    public static String decodePathSegment(String raw) {
        return percentDecode(raw, "path", false);
    }

    private static String percentDecode(String s, String what, boolean plusIsSpace) {
        // Checked before the shortcut below: a raw non-ASCII byte is not valid form or query syntax, and
        // reading it as some character would turn bad input into a login attempt (and a 401).
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                throw new InvalidTokenRequestException(what + " has an unescaped non-ASCII byte; percent-encode it as UTF-8");
            }
        }
        if (s.indexOf('%') < 0 && (s.indexOf('+') < 0 || !plusIsSpace)) {
            return s;
        }
        byte[] bytes = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' && plusIsSpace) {
                bytes[n++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new InvalidTokenRequestException(what + " has a malformed percent escape");
                }
                bytes[n++] = (byte) ((Character.digit(s.charAt(i + 1), 16) << 4) + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTokenRequestException(what + " is not valid UTF-8");
        }
    }
}
