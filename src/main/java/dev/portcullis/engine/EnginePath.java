package dev.portcullis.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request target normalised before any rule sees it: percent-escapes decoded once ({@code %2e} is
 * a dot), empty and {@code .} segments dropped ({@code //}), {@code ..} segments, encoded slashes and
 * backslashes, NUL and control characters refused, and the API version prefix ({@code /v1.41}) set
 * apart. The engine is sent {@link #forwardTarget()}, this same path encoded again, so it acts on
 * exactly what the rules matched.
 *
 * @param version  the API version segment, e.g. {@code v1.41}
 * @param segments the decoded path segments after the version
 * @param query    the raw query after '?', or empty
 */
public record EnginePath(Optional<String> version, List<String> segments, String query) {
    private static final Pattern VERSION = Pattern.compile("v[0-9]{1,3}(\\.[0-9]{1,3})?");
    private static final String UNRESERVED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";

    public EnginePath {
        segments = List.copyOf(segments);
    }

    /** Normalises a request target in origin form; {@link Refusal} (400) naming what was wrong. */
    public static EnginePath parse(String target) {
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        if (rawPath.indexOf('#') >= 0 || query.indexOf('#') >= 0) {
            throw Refusal.malformed("a fragment ('#') in the request target");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            String s = decode(raw);
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                throw Refusal.malformed("a '..' segment in the path");
            }
            segments.add(s);
        }
        Optional<String> version = Optional.empty();
        if (!segments.isEmpty() && VERSION.matcher(segments.getFirst()).matches()) {
            version = Optional.of(segments.removeFirst());
        }
        return new EnginePath(version, segments, query);
    }

    private static String decode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int b = c;
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw Refusal.malformed("a '%' not followed by two hex digits in the path");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw Refusal.malformed("a '%' not followed by two hex digits in the path");
                }
                b = hi * 16 + lo;
                i += 2;
                if (b == '/') {
                    throw Refusal.malformed("an encoded '/' (%2F) in the path");
                }
            }
            if (b == '\\') {
                throw Refusal.malformed("a backslash in the path");
            }
            if (b < 0x20 || b == 0x7f) {
                throw Refusal.malformed("a control character in the path");
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The path the rules match: {@code /containers/abc/start}, without the version. */
    public String matchPath() {
        return "/" + String.join("/", segments);
    }

    /** What the engine is sent: the version, the normalised segments encoded again, the query. */
    public String forwardTarget() {
        StringBuilder b = new StringBuilder();
        version.ifPresent(v -> b.append('/').append(v));
        for (String s : segments) {
            b.append('/').append(encode(s));
        }
        if (segments.isEmpty()) {
            b.append('/');
        }
        if (!query.isEmpty()) {
            b.append('?').append(query);
        }
        return b.toString();
    }

    /** A target on the same API version, for the guard's own questions to the engine. */
    public String sameVersion(String path) {
        return version.map(v -> "/" + v).orElse("") + path;
    }

    static String encode(String segment) {
        StringBuilder b = new StringBuilder();
        for (byte x : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if (c < 0x80 && UNRESERVED.indexOf(c) >= 0) {
                b.append(c);
            } else {
                b.append('%').append(String.format("%02X", x & 0xff));
            }
        }
        return b.toString();
    }
}
