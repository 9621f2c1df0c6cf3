package dev.portcullis.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The CA's record of what it issued, one tab-separated line per certificate (serial in hex, kind,
 * identity, not-after, revocation time or {@code -}): what {@code pki revoke} finds a name in and
 * what the CRL is made from.
 */
record IssuedIndex(List<Entry> entries) {
    static final String FILE = "issued.tsv";

    /** One issued certificate. */
    record Entry(BigInteger serial, String kind, String identity, Instant notAfter, Optional<Instant> revokedAt) {
        String line() {
            return serialHex(serial) + "\t" + kind + "\t" + identity + "\t" + notAfter + "\t"
                    + revokedAt.map(Instant::toString).orElse("-");
        }

        static Entry parse(String line, Path file, int number) {
            String[] f = line.split("\t", -1);
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("5 tab-separated fields expected");
                }
                return new Entry(new BigInteger(f[0], 16), f[1], f[2], Instant.parse(f[3]),
                        f[4].equals("-") ? Optional.empty() : Optional.of(Instant.parse(f[4])));
            } catch (RuntimeException e) {
                throw new PkiException(file + ":" + number + ": not an issued-certificate line: " + e.getMessage());
            }
        }
    }

    IssuedIndex {
        entries = List.copyOf(entries);
    }

    static String serialHex(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    static IssuedIndex read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new IssuedIndex(List.of());
        }
        List<Entry> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank() && !lines.get(i).startsWith("#")) {
                    out.add(Entry.parse(lines.get(i), file, i + 1));
                }
            }
        } catch (IOException e) {
            throw new PkiException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new IssuedIndex(out);
    }

    void write(Path dir) {
        StringBuilder text = new StringBuilder("# serial\tkind\tidentity\tnot-after\trevoked-at\n");
        entries.forEach(e -> text.append(e.line()).append('\n'));
        OwnerOnlyFiles.writePublic(dir.resolve(FILE), text.toString());
    }

    IssuedIndex with(Entry e) {
        List<Entry> next = new ArrayList<>(entries);
        next.add(e);
        return new IssuedIndex(next);
    }

    IssuedIndex revoked(BigInteger serial, Instant at) {
        return new IssuedIndex(entries.stream().map(e -> e.serial().equals(serial) && e.revokedAt().isEmpty()
                ? new Entry(e.serial(), e.kind(), e.identity(), e.notAfter(), Optional.of(at)) : e).toList());
    }
}
