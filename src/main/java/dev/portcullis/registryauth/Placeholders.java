package dev.portcullis.registryauth;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ACL placeholders: {@code ${account} ${name} ${service} ${type} ${labels:X}} and the groups a
 * regex match captured, {@code ${account:1}}. Values are quoted for the pattern kind they go into, so
 * a request can never inject pattern syntax.
 */
final class Placeholders {
    private static final Pattern VAR = Pattern.compile("\\$\\{([a-z]+(?::[A-Za-z0-9_.-]+)?)}");

    /** Values used to check at start that a templated pattern compiles. */
    static final Map<String, String> SAMPLE = Map.of("account", "a", "name", "n", "service", "s", "type", "t");

    private Placeholders() {}

    static String substitute(String body, Map<String, String> vars, boolean regex) {
        Matcher m = VAR.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            if (!isKnown(key)) {
                throw new AclPatternException("unknown placeholder ${" + key + "}");
            }
            String value = vars.getOrDefault(key, vars == SAMPLE ? "x" : "");
            m.appendReplacement(out, Matcher.quoteReplacement(regex ? Pattern.quote(value) : globQuote(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean isKnown(String key) {
        int colon = key.indexOf(':');
        String head = colon < 0 ? key : key.substring(0, colon);
        return switch (head) {
            case "account", "name", "service", "type" -> colon < 0 || key.substring(colon + 1).matches("[0-9]{1,2}");
            case "labels" -> colon > 0;
            default -> false;
        };
    }

    private static String globQuote(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
