package dev.portcullis.lint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds Dockerfiles under the paths given ({@code Dockerfile}, {@code Dockerfile.*}, {@code *.Dockerfile}) and reads them. */
public final class DockerfileSources {
    private DockerfileSources() {}

    /** The files a path stands for: itself, or the Dockerfiles below a directory, sorted. */
    public static List<Path> expand(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> s = Files.walk(path)) {
            return s.filter(Files::isRegularFile).filter(p -> isDockerfileName(p.getFileName().toString())).sorted().toList();
        }
    }

    static boolean isDockerfileName(String n) {
        return n.equals("Dockerfile") || n.startsWith("Dockerfile.") || n.endsWith(".Dockerfile");
    }

    /** Reads text; a binary, non-UTF-8 or oversize file is an {@link IOException} that says which. */
    public static String read(Path file) throws IOException {
        if (Files.size(file) > DockerfileParser.MAX_BYTES) {
            throw new IOException(file + ": larger than 4 MiB, not a Dockerfile");
        }
        return decode(Files.readAllBytes(file), file.toString());
    }

    public static String read(InputStream in, String name) throws IOException {
        byte[] b = in.readNBytes(DockerfileParser.MAX_BYTES + 1);
        if (b.length > DockerfileParser.MAX_BYTES) {
            throw new IOException(name + ": larger than 4 MiB, not a Dockerfile");
        }
        return decode(b, name);
    }

    private static String decode(byte[] bytes, String name) throws IOException {
        for (byte x : bytes) {
            if (x == 0) {
                throw new IOException(name + ": a binary file (it holds NUL bytes), not a Dockerfile");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(name + ": not UTF-8 text");
        }
    }

}
