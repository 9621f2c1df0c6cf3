package dev.portcullis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the two tables of docs/architecture.md: packages and what each may use, libraries and where. */
final class DocTables {
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private DocTables() {}

    /** Package to the packages it may use; "everything above" is every package of the rows before. */
    static Map<String, Set<String>> packages(Path doc) throws IOException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (List<String> row : rows(doc, "| package |")) {
            String pkg = only(row.get(0));
            Set<String> uses = new LinkedHashSet<>();
            if (row.get(2).contains("everything above")) {
                uses.addAll(out.keySet());
            }
            uses.addAll(codes(row.get(2)));
            out.put(pkg, Set.copyOf(uses));
        }
        return out;
    }

    /** Library package prefix to the one package, or "persistence classes", that may use it. */
    static Map<String, String> libraries(Path doc) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<String> row : rows(doc, "| library |")) {
            String where = row.get(1).contains("persistence classes") ? "persistence classes" : only(row.get(1));
            for (String lib : codes(row.get(0))) {
                out.put(lib, where);
            }
        }
        return out;
    }

    private static List<List<String>> rows(Path doc, String header) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(header)) {
                start = i + 2; // the header and its |---| line
                break;
            }
        }
        if (start < 0) {
            throw new AssertionError(doc + " has no table starting with " + header);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i).strip();
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split("\\|", -1)) {
                cells.add(cell.strip());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static List<String> codes(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String only(String cell) {
        List<String> c = codes(cell);
        if (c.size() != 1) {
            throw new AssertionError("expected one `name` in the cell: " + cell);
        }
        return c.get(0);
    }
}
