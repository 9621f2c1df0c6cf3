package dev.portcullis.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies message bodies as their framing delimits them, flushing as data comes (a {@code logs -f}
 * stream is never held back), and reads a body whole up to a limit. Chunked bodies are re-framed
 * from what was parsed, never passed as received, so both ends see the same chunk boundaries.
 */
final class Bodies {
    private static final int MAX_CHUNK_LINE = 1024;
    private static final int MAX_TRAILERS = 8 * 1024;

    private Bodies() {}

    /** Copies the body; returns false when it was delimited by the sender closing. */
    static void copy(Framing framing, InputStream in, OutputStream out) throws IOException {
        switch (framing) {
            case Framing.None n -> { }
            case Framing.Fixed f -> copyFixed(f.length(), in, out);
            case Framing.Chunked c -> copyChunked(in, out, Long.MAX_VALUE, null);
            case Framing.UntilClose u -> {
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            }
        }
        out.flush();
    }

    /** The whole body, decoded; {@link Refusal} (413) past {@code limit} bytes. */
    static byte[] readWhole(Framing framing, InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (framing) {
            case Framing.None n -> { }
            case Framing.Fixed f -> {
                if (f.length() > limit) {
                    throw tooLarge(limit);
                }
                copyFixed(f.length(), in, out);
            }
            case Framing.Chunked c -> copyChunked(in, null, limit, out);
            case Framing.UntilClose u -> throw Refusal.malformed("a request body without a length");
        }
        return out.toByteArray();
    }

    private static Refusal tooLarge(int limit) {
        return new Refusal(Refusal.Kind.TOO_LARGE, "the request body is larger than the " + limit
                + " bytes the guard reads to judge it (max_body)");
    }

    private static void copyFixed(long length, InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new java.io.EOFException("the body ended " + left + " bytes short of its Content-Length");
            }
            out.write(buf, 0, n);
            left -= n;
            if (in.available() == 0) {
                out.flush();
            }
        }
    }

    // Re-framed to `out` as chunks when it is given; decoded into `whole` (at most limit bytes) otherwise.
    private static void copyChunked(InputStream in, OutputStream out, long limit, ByteArrayOutputStream whole) throws IOException {
        long total = 0;
        byte[] buf = new byte[16 * 1024];
        while (true) {
            long size = chunkSize(line(in, MAX_CHUNK_LINE));
            if (size == 0) {
                int budget = MAX_TRAILERS;
                String t;
                while (!(t = line(in, budget)).isEmpty()) {
                    budget -= t.length() + 2;   // trailers are dropped: nothing here reads them
                }
                if (out != null) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                return;
            }
            total += size;
            if (total > limit) {
                throw tooLarge((int) limit);
            }
            if (out != null) {
                out.write((Long.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new java.io.EOFException("the connection ended inside a chunk");
                }
                (out != null ? out : whole).write(buf, 0, n);
                left -= n;
            }
            if (!line(in, 2).isEmpty()) {
                throw Refusal.malformed("a chunk longer than its size");
            }
            if (out != null) {
                out.write('\r');
                out.write('\n');
                if (in.available() == 0) {
                    out.flush();
                }
            }
        }
    }

    private static long chunkSize(String line) {
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi));
        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw Refusal.malformed("chunk size '" + HttpHead.printable(hex) + "' is not hexadecimal");
        }
        return Long.parseLong(hex, 16);
    }

    private static String line(InputStream in, int max) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("the connection ended inside a chunked body");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw Refusal.malformed("a CR not followed by LF in a chunked body");
                }
                return b.toString();
            }
            if (c == '\n' || c < 0x20 && c != '\t' || c == 0x7f) {
                throw Refusal.malformed("a bare LF or a control character in a chunked body");
            }
            if (b.length() >= max) {
                throw Refusal.malformed("a chunk line longer than " + max + " bytes");
            }
            b.append((char) c);
        }
    }
}
