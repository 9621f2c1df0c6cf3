package dev.portcullis.engine;

import java.util.regex.Pattern;

/** A request line: method, target in origin form, HTTP/1.0 or HTTP/1.1. */
public record RequestLine(String method, String target, String version) {
    private static final Pattern TARGET = Pattern.compile("/[\\x21-\\x7e]*");

    public RequestLine {
        if (!HttpHead.isToken(method) || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw Refusal.malformed("method '" + HttpHead.printable(method) + "' is not an upper-case token");
        }
        if (!TARGET.matcher(target).matches() || target.length() > 8192) {
            throw Refusal.malformed("request target must be a path starting with '/' (origin form), at most 8 KiB");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw Refusal.malformed("version '" + HttpHead.printable(version) + "': HTTP/1.1 or HTTP/1.0 only");
        }
    }

    /** Reads {@code METHOD SP target SP version}, one space each. */
    public static RequestLine parse(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3) {
            throw Refusal.malformed("request line is not 'METHOD /path HTTP/1.1'");
        }
        return new RequestLine(parts[0], parts[1], parts[2]);
    }

    public boolean http10() {
        return version.equals("HTTP/1.0");
    }
}
