package dev.portcullis.lint;

import java.util.regex.Pattern;

/** Simple globs for policy lists: {@code *} matches any run of characters, {@code ?} one character. */
final class Globs {
    private Globs() {}

    private static final java.util.Map<String, Pattern> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

    static boolean matches(String glob, String value) {
        return COMPILED.computeIfAbsent(glob, Globs::compile).matcher(value).matches();
    }

    private static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }
}
