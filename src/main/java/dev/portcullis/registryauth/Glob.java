package dev.portcullis.registryauth;

import java.util.regex.Pattern;

/** Go's {@code path.Match} syntax turned into an anchored Java regex. */
final class Glob {
    private Glob() {}

    static String toRegex(String glob) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> out.append("[^/]*");
                case '?' -> out.append("[^/]");
                case '\\' -> {
                    if (i + 1 >= glob.length()) {
                        throw new AclPatternException("glob ends with a lone '\\'");
                    }
                    out.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                }
                case '[' -> i = charClass(glob, i, out);
                default -> out.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return out.toString();
    }

    // [abc], [^a-z], [a\]b]: Go negates with '^'; the class never matches '/'.
    private static int charClass(String glob, int start, StringBuilder out) {
        int i = start + 1;
        StringBuilder cls = new StringBuilder("[");
        if (i < glob.length() && glob.charAt(i) == '^') {
            cls.append('^');
            i++;
        }
        boolean any = false;
        while (i < glob.length() && glob.charAt(i) != ']') {
            char c = glob.charAt(i);
            if (c == '\\') {
                if (++i >= glob.length()) {
                    throw new AclPatternException("glob character class ends with a lone '\\'");
                }
                c = glob.charAt(i);
            }
            if (c == '-' && any && i + 1 < glob.length() && glob.charAt(i + 1) != ']') {
                char lo = glob.charAt(i - 1);
                char hi = glob.charAt(i + 1) == '\\' && i + 2 < glob.length() ? glob.charAt(i + 2) : glob.charAt(i + 1);
                if (hi < lo) {
                    throw new AclPatternException("glob has a reversed character range " + lo + "-" + hi);
                }
                cls.append('-');
            } else {
                cls.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
            }
            any = true;
            i++;
        }
        if (i >= glob.length() || !any) {
            throw new AclPatternException("glob has an unterminated or empty character class");
        }
        cls.append("&&[^/]]");
        out.append(cls);
        return i;
    }
}
