package dev.portcullis.lint;

import java.util.Map;

/**
 * Dockerfile variable substitution: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} (unset or
 * empty), {@code ${VAR:+alternative}} (set and not empty), {@code \$} for a literal dollar.
 */
final class Substitution {
    private Substitution() {}

    static String expand(String text, Map<String, String> vars) {
        StringBuilder out = new StringBuilder();
        int k = 0;
        while (k < text.length()) {
            char c = text.charAt(k);
            if (c == '\\' && k + 1 < text.length() && text.charAt(k + 1) == '$') {
                out.append('$');
                k += 2;
            } else if (c == '$' && k + 1 < text.length() && text.charAt(k + 1) == '{') {
                int end = text.indexOf('}', k + 2);
                if (end < 0) {
                    out.append(text, k, text.length());
                    break;
                }
                out.append(braced(text.substring(k + 2, end), vars));
                k = end + 1;
            } else if (c == '$' && k + 1 < text.length() && isNameStart(text.charAt(k + 1))) {
                int end = k + 1;
                while (end < text.length() && isNamePart(text.charAt(end))) {
                    end++;
                }
                out.append(vars.getOrDefault(text.substring(k + 1, end), ""));
                k = end;
            } else {
                out.append(c);
                k++;
            }
        }
        return out.toString();
    }

    private static String braced(String expr, Map<String, String> vars) {
        int op = expr.indexOf(':');
        if (op > 0 && op + 1 < expr.length() && (expr.charAt(op + 1) == '-' || expr.charAt(op + 1) == '+')) {
            String name = expr.substring(0, op);
            String word = expr.substring(op + 2);
            String value = vars.get(name);
            boolean set = value != null && !value.isEmpty();
            return expr.charAt(op + 1) == '-' ? (set ? value : expand(word, vars)) : (set ? expand(word, vars) : "");
        }
        return vars.getOrDefault(expr, "");
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
