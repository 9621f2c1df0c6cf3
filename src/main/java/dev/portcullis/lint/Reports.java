package dev.portcullis.lint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes findings as tty text, hadolint's JSON, SARIF 2.1.0, checkstyle XML or GitLab Code Quality JSON. */
public final class Reports {
    // Made when a JSON report is asked for: the tty report, the pre-commit hook's, needs no object mapper.
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private Reports() {}

    /** The formats {@code --format} takes. */
    public static final List<String> FORMATS = List.of("tty", "json", "sarif", "checkstyle", "gitlab");

    /** Renders without colour; {@code sources} maps file names to their text, for the tty report's source lines. */
    public static String render(String format, List<Finding> findings, Map<String, String> sources) {
        return render(format, findings, sources, false, "development");
    }

    /**
     * Renders; {@code colour} colours the tty report's severities (for a terminal), {@code toolVersion}
     * is the version SARIF names.
     */
    public static String render(String format, List<Finding> findings, Map<String, String> sources, boolean colour,
                                String toolVersion) {
        return switch (format) {
            case "tty" -> tty(findings, sources, colour);
            case "json" -> json(hadolintJson(findings));
            case "sarif" -> json(Sarif.of(findings, toolVersion));
            case "checkstyle" -> checkstyle(findings);
            case "gitlab" -> json(gitlab(findings));
            default -> throw new IllegalArgumentException("unknown format '" + format + "' (" + String.join(", ", FORMATS) + ")");
        };
    }

    private static String tty(List<Finding> findings, Map<String, String> sources, boolean colour) {
        StringBuilder b = new StringBuilder();
        for (Finding f : findings) {
            b.append(f.file()).append(':').append(f.position().line()).append(' ').append(f.code()).append(' ');
            if (colour) {
                // hadolint's colours: error red, warning yellow, info green, style cyan.
                String sgr = switch (f.severity()) {
                    case ERROR -> "31";
                    case WARNING -> "33";
                    case INFO -> "32";
                    case STYLE -> "36";
                    case IGNORE -> "0";
                };
                b.append("\u001b[").append(sgr).append('m').append(f.severity().label()).append("\u001b[0m");
            } else {
                b.append(f.severity().label());
            }
            b.append(": ").append(f.message()).append('\n');
            String src = sources.get(f.file());
            if (src != null) {
                String[] lines = src.split("\r?\n", -1);
                if (f.position().line() <= lines.length) {
                    b.append("  | ").append(lines[f.position().line() - 1].strip()).append('\n');
                }
            }
        }
        return b.toString();
    }

    private static List<Map<String, Object>> hadolintJson(List<Finding> findings) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", f.code());
            m.put("column", f.position().column());
            m.put("file", f.file());
            m.put("level", f.severity().label());
            m.put("line", f.position().line());
            m.put("message", f.message());
            out.add(m);
        }
        return out;
    }

    private static String checkstyle(List<Finding> findings) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
        Map<String, List<Finding>> byFile = new LinkedHashMap<>();
        findings.forEach(f -> byFile.computeIfAbsent(f.file(), k -> new ArrayList<>()).add(f));
        byFile.forEach((file, list) -> {
            b.append("  <file name=\"").append(xml(file)).append("\">\n");
            for (Finding f : list) {
                String severity = switch (f.severity()) {
                    case ERROR -> "error";
                    case WARNING -> "warning";
                    case INFO, STYLE, IGNORE -> "info";
                };
                b.append("    <error line=\"").append(f.position().line()).append("\" column=\"").append(f.position().column())
                        .append("\" severity=\"").append(severity).append("\" message=\"").append(xml(f.message()))
                        .append("\" source=\"").append(f.code()).append("\"/>\n");
            }
            b.append("  </file>\n");
        });
        return b.append("</checkstyle>\n").toString();
    }

    private static List<Map<String, Object>> gitlab(List<Finding> findings) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("description", f.code() + ": " + f.message());
            m.put("check_name", f.code());
            m.put("fingerprint", fingerprint(f));
            m.put("severity", switch (f.severity()) {
                case ERROR -> "blocker";
                case WARNING -> "major";
                case INFO -> "minor";
                case STYLE, IGNORE -> "info";
            });
            m.put("location", Map.of("path", f.file(), "lines", Map.of("begin", f.position().line())));
            out.add(m);
        }
        return out;
    }

    private static String fingerprint(Finding f) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((f.file() + ":" + f.position().line() + ":" + f.code()
                    + ":" + f.message()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the report", e);
        }
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "?");
    }

}
