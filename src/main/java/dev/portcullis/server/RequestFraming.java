package dev.portcullis.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The framing of the HTTP/1.x requests on one connection, checked byte by byte before Helidon parses
 * them (RFC 9112). It passes on only whole, valid request heads and exactly the body each head
 * announces, so that the two parsers can never disagree about where a request ends:
 * <ul>
 *   <li>after a request that asked to close the connection (or an HTTP/1.0 one without keep-alive),
 *       and after any framing error, nothing more is passed on: the body is the last thing read;</li>
 *   <li>chunk extensions and trailers are accepted and dropped (Helidon refuses them), every chunk
 *       must end in CRLF, sizes are hexadecimal digits only;</li>
 *   <li>{@code Content-Length} with {@code Transfer-Encoding}, repeated or non-numeric lengths, bare
 *       LF or CR, folded or malformed header lines are refused with 400;</li>
 *   <li>HTTP/1.0 requests are passed on as HTTP/1.1 ones that close (Helidon speaks only 1.1), which
 *       is what an HTTP/1.1 server answers a 1.0 client.</li>
 * </ul>
 * Not thread-safe: one connection's reading thread feeds it.
 */
final class RequestFraming {
    /** What the connection is waiting for, for the read deadlines. */
    enum Phase { IDLE, HEAD, BODY, CLOSED }

    /** A request whose framing is refused; the connection is closed after the answer. */
    static final class Rejected extends RuntimeException {
        private final int status;
        private final long unreadBody;

        Rejected(int status, String message) {
            this(status, message, 0);
        }

        Rejected(int status, String message, long unreadBody) {
            super(message, null, false, false);
            this.status = status;
            this.unreadBody = unreadBody;
        }

        int status() {
            return status;
        }

        /** The bytes of a refused body the client is still sending (at most), 0 when unknown. */
        long unreadBody() {
            return unreadBody;
        }
    }

    private enum State { HEAD, LENGTH_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, CLOSED }

    static final int MAX_REQUEST_LINE = 4096;
    static final int MAX_HEAD = 16 * 1024;
    private static final int MAX_CHUNK_LINE = 4096;
    private static final int MAX_TRAILERS = 8 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private final long maxBody;
    private State state = State.HEAD;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private long remaining;
    private long bodyTotal;
    private boolean closeAfter;
    private int trailerBytes;
    private int requests;
    private int emptyLines;
    private Rejected deferred;

    /** @param maxBody the largest body accepted, the listener's limit (413 above it) */
    RequestFraming(long maxBody) {
        this.maxBody = maxBody;
    }

    /**
     * Feeds bytes read from the socket; returns what may be parsed as requests (possibly nothing yet).
     * When bad bytes follow whole requests in one read, those requests are returned first and the
     * refusal is thrown by the next call (with any bytes, even none): they are answered before it.
     */
    byte[] feed(byte[] in) {
        if (deferred != null) {
            Rejected r = deferred;
            deferred = null;
            throw r;
        }
        if (state == State.CLOSED) {
            return new byte[0];
        }
        Output out = new Output(in);
        try {
            int pos = 0;
            while (pos < in.length && state != State.CLOSED) {
                pos = switch (state) {
                    case HEAD -> head(in, pos, out);
                    case LENGTH_BODY -> lengthBody(in, pos, out);
                    case CHUNK_SIZE -> chunkSize(in, pos, out);
                    case CHUNK_DATA -> chunkData(in, pos, out);
                    case CHUNK_END -> chunkEnd(in, pos, out);
                    case TRAILERS -> trailers(in, pos, out);
                    case CLOSED -> in.length;
                };
            }
            return out.bytes();
        } catch (Rejected e) {
            state = State.CLOSED;
            byte[] before = out.bytes();
            if (before.length == 0) {
                throw e;
            }
            deferred = e;
            return before;
        }
    }

    /** A refusal waits to be thrown by the next {@link #feed}. */
    boolean rejectionPending() {
        return deferred != null;
    }

    /** Where the connection stands, for the read deadlines. */
    Phase phase() {
        return switch (state) {
            case HEAD -> pendingLength == 0 ? Phase.IDLE : Phase.HEAD;
            case CLOSED -> Phase.CLOSED;
            default -> Phase.BODY;
        };
    }

    /** No more requests will be passed on: the connection is to close once the last answer is out. */
    boolean isClosed() {
        return state == State.CLOSED && deferred == null;
    }

    /** Requests passed on so far. */
    int requests() {
        return requests;
    }

    private int head(byte[] in, int pos, Output out) {
        if (pendingLength == 0) {
            // An empty line before a request line is ignored (RFC 9112 section 2.2), a few of them at most.
            while (pos + 1 < in.length && in[pos] == '\r' && in[pos + 1] == '\n') {
                pos += 2;
                countEmptyLine();
            }
            if (pos == in.length) {
                return pos;
            }
            // The usual case: the whole head in one read, passed on without a copy.
            int end = indexOfEmptyLine(in, pos, Math.min(in.length, pos + MAX_HEAD));
            if (end >= 0) {
                completeHead(in, pos, end + 4 - pos, out);
                return end + 4;
            }
        }
        int before = pendingLength;
        int take = Math.min(in.length - pos, MAX_HEAD - pendingLength);
        append(in, pos, take);
        int skipped = 0;
        while (pendingLength - skipped >= 2 && pending[skipped] == '\r' && pending[skipped + 1] == '\n') {
            skipped += 2; // empty lines split across reads (a lone CR, then LF)
            countEmptyLine();
        }
        if (skipped > 0) {
            System.arraycopy(pending, skipped, pending, 0, pendingLength - skipped);
            pendingLength -= skipped;
            before = Math.max(0, before - skipped);
        }
        int end = indexOfEmptyLine(pending, Math.max(0, before - 3), pendingLength);
        if (end < 0) {
            if (pendingLength >= MAX_HEAD) {
                throw new Rejected(431, "request head larger than " + MAX_HEAD + " bytes");
            }
            checkRequestLineLength();
            return pos + take;
        }
        int headLength = end + 4;
        int rest = pendingLength - headLength; // bytes of this read after the head
        byte[] head = Arrays.copyOf(pending, headLength);
        pendingLength = 0;
        if (pending.length > 2 * 1024) {
            pending = new byte[0]; // do not keep a large head's buffer for the life of the connection
        }
        completeHead(head, 0, headLength, out);
        return pos + take - rest;
    }

    private void countEmptyLine() {
        if (++emptyLines > 8) {
            throw new Rejected(400, "more than 8 empty lines before a request line");
        }
    }

    private void completeHead(byte[] buf, int off, int len, Output out) {
        RequestHead head = RequestHead.parse(buf, off, len);
        if (head.contentLength() > maxBody) {
            throw new Rejected(413, "request body of " + head.contentLength() + " bytes is larger than the limit of "
                    + maxBody + " bytes (" + (maxBody >> 20) + " MiB)", head.contentLength());
        }
        requests++;
        closeAfter = head.closeAfter();
        if (head.rewritten() != null) {
            out.write(head.rewritten(), 0, head.rewritten().length);
        } else {
            out.write(buf, off, len);
        }
        if (head.chunked()) {
            state = State.CHUNK_SIZE;
            bodyTotal = 0;
            trailerBytes = 0;
        } else if (head.contentLength() > 0) {
            state = State.LENGTH_BODY;
            remaining = head.contentLength();
        } else {
            requestDone();
        }
    }

    private void checkRequestLineLength() {
        for (int i = 0; i < Math.min(pendingLength, MAX_REQUEST_LINE + 1); i++) {
            if (pending[i] == '\n') {
                return;
            }
        }
        if (pendingLength > MAX_REQUEST_LINE) {
            throw new Rejected(414, "request line longer than " + MAX_REQUEST_LINE + " bytes");
        }
    }

    private int lengthBody(byte[] in, int pos, Output out) {
        int n = (int) Math.min(remaining, in.length - pos);
        out.write(in, pos, n);
        remaining -= n;
        if (remaining == 0) {
            requestDone();
        }
        return pos + n;
    }

    private int chunkSize(byte[] in, int pos, Output out) {
        int lf = indexOf(in, pos, (byte) '\n');
        int end = lf < 0 ? in.length : lf + 1;
        if (pendingLength + end - pos > MAX_CHUNK_LINE) {
            throw new Rejected(400, "chunk size line longer than " + MAX_CHUNK_LINE + " bytes");
        }
        append(in, pos, end - pos);
        if (lf < 0) {
            return end;
        }
        long size = parseChunkSize(pending, pendingLength);
        pendingLength = 0;
        bodyTotal += size;
        if (bodyTotal > maxBody) {
            throw new Rejected(413, "chunked request body larger than the limit of " + maxBody + " bytes");
        }
        byte[] line = (Long.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        out.write(line, 0, line.length);
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return end;
    }

    /** {@code 1*HEXDIG [BWS ";" chunk-ext] CRLF}, the extension's characters checked, its meaning ignored. */
    static long parseChunkSize(byte[] line, int length) {
        if (length < 2 || line[length - 2] != '\r') {
            throw new Rejected(400, "chunk size line does not end in CRLF");
        }
        int end = length - 2;
        long size = 0;
        int i = 0;
        while (i < end && Character.digit(line[i], 16) >= 0) {
            if (i >= 15) {
                throw new Rejected(413, "chunk size has more than 15 hexadecimal digits");
            }
            size = size * 16 + Character.digit(line[i], 16);
            i++;
        }
        if (i == 0) {
            throw new Rejected(400, "chunk size is not a hexadecimal number");
        }
        while (i < end && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i < end) {
            if (line[i] != ';') {
                throw new Rejected(400, "chunk size is not a hexadecimal number");
            }
            if (RequestHead.hasControlCharacter(line, i + 1, end)) {
                throw new Rejected(400, "chunk extension holds a control character");
            }
        }
        return size;
    }

    private int chunkData(byte[] in, int pos, Output out) {
        int n = (int) Math.min(remaining, in.length - pos);
        out.write(in, pos, n);
        remaining -= n;
        if (remaining == 0) {
            state = State.CHUNK_END;
            pendingLength = 0;
        }
        return pos + n;
    }

    private int chunkEnd(byte[] in, int pos, Output out) {
        while (pos < in.length && pendingLength < 2) {
            if (in[pos] != CRLF[pendingLength]) {
                throw new Rejected(400, "chunk data is not followed by CRLF");
            }
            pendingLength++;
            pos++;
        }
        if (pendingLength == 2) {
            pendingLength = 0;
            out.write(CRLF, 0, 2);
            state = State.CHUNK_SIZE;
        }
        return pos;
    }

    private int trailers(byte[] in, int pos, Output out) {
        int lf = indexOf(in, pos, (byte) '\n');
        int end = lf < 0 ? in.length : lf + 1;
        trailerBytes += end - pos;
        if (trailerBytes > MAX_TRAILERS) {
            throw new Rejected(431, "trailer fields larger than " + MAX_TRAILERS + " bytes");
        }
        append(in, pos, end - pos);
        if (lf < 0) {
            return end;
        }
        if (pendingLength < 2 || pending[pendingLength - 2] != '\r') {
            throw new Rejected(400, "trailer line does not end in CRLF");
        }
        if (pendingLength == 2) {
            pendingLength = 0;
            out.write(CRLF, 0, 2); // trailers are checked and dropped: Helidon accepts none
            requestDone();
        } else {
            RequestHead.checkField(pending, 0, pendingLength - 2);
            pendingLength = 0;
        }
        return end;
    }

    private void requestDone() {
        state = closeAfter ? State.CLOSED : State.HEAD;
        pendingLength = 0;
        emptyLines = 0;
    }

    private void append(byte[] in, int from, int n) {
        if (pendingLength + n > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingLength + n, Math.min(2 * pending.length + 64, MAX_HEAD + 4)));
        }
        System.arraycopy(in, from, pending, pendingLength, n);
        pendingLength += n;
    }

    private static int indexOf(byte[] b, int from, byte value) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the CRLF CRLF that ends a head, searching {@code [from, to)}; -1 if none yet. */
    private static int indexOfEmptyLine(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** What a feed passes on: the input itself when it is passed on whole and unchanged, else a copy. */
    private static final class Output {
        private final byte[] input;
        private ByteArrayOutputStream copy;
        private int inputFrom = -1;
        private int inputLength;

        Output(byte[] input) {
            this.input = input;
        }

        void write(byte[] b, int off, int len) {
            if (len == 0) {
                return;
            }
            if (copy == null && b == input && (inputFrom < 0 || inputFrom + inputLength == off)) {
                if (inputFrom < 0) {
                    inputFrom = off;
                }
                inputLength += len;
                return;
            }
            if (copy == null) {
                copy = new ByteArrayOutputStream(Math.max(64, inputLength + len));
                if (inputFrom >= 0) {
                    copy.write(input, inputFrom, inputLength);
                }
            }
            copy.write(b, off, len);
        }

        byte[] bytes() {
            if (copy != null) {
                return copy.toByteArray();
            }
            if (inputFrom == 0 && inputLength == input.length) {
                return input;
            }
            return inputFrom < 0 ? new byte[0] : Arrays.copyOfRange(input, inputFrom, inputFrom + inputLength);
        }
    }
}
