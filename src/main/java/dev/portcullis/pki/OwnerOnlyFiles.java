package dev.portcullis.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes files whole (a temporary file moved into place), keys owner-only from their first byte. */
public final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {}

    /** A private key or anything secret: 0600, never readable by others even while being written. */
    public static void writeSecret(Path file, String text) {
        write(file, text, "rw-------");
    }

    /** A certificate, a CRL or a bundle: 0644. */
    public static void writePublic(Path file, String text) {
        write(file, text, "rw-r--r--");
    }

    /** Refuses to overwrite: {@link PkiException} naming the file. */
    public static void requireAbsent(Path file) {
        if (Files.exists(file)) {
            throw new PkiException(file + " exists already; remove it or choose another name");
        }
    }

    private static void write(Path file, String text, String permissions) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new PkiException(file + " exists already");
        } catch (IOException e) {
            throw new PkiException("cannot write " + file + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write failed already; that is what is reported
                }
            }
        }
    }
}
