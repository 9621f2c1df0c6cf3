package dev.portcullis.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A static file, one address or CIDR block a line ({@code #} starts a comment), read again only when
 * its modification time, size or identity changed (an editor's rename counts); a bad line fails the
 * refresh naming the file and line, and the last good snapshot stays.
 */
public final class FileSource implements Source {
    private static final long MAX_BYTES = 64L << 20;

    private final Path file;
    private Object seen;

    public FileSource(Path file) {
        this.file = file;
    }

    @Override
    public String kind() {
        return "file";
    }

    @Override
    public Optional<List<Cidr>> fetch(Pacer pacer) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new SourceException(file + " does not exist");
        } catch (IOException e) {
            throw new SourceException("cannot read " + file + ": " + e.getMessage());
        }
        List<Object> version = new ArrayList<>();
        version.add(attrs.lastModifiedTime());
        version.add(attrs.size());
        version.add(attrs.fileKey());
        if (Objects.equals(version, seen)) {
            return Optional.empty();
        }
        if (attrs.size() > MAX_BYTES) {
            throw new SourceException(file + " is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SourceException("cannot read " + file + ": " + e.getMessage());
        }
        List<Cidr> out = parse(lines, file.toString());
        seen = version;
        return Optional.of(out);
    }

    /** The entries of the lines; a bad one is a {@link SourceException} naming {@code where} and the line. */
    static List<Cidr> parse(List<String> lines, String where) {
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                out.add(Cidr.parse(entry));
            } catch (InventoryException e) {
                throw new SourceException(where + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }
}
