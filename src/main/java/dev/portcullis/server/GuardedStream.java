package dev.portcullis.server;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ServerConnectionException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The bytes of one connection as Helidon's HTTP/1 parser sees them: read from the socket, passed
 * through {@link RequestFraming}, ended (end of stream) once the framing says no more requests may be
 * read, and cut off by {@link ConnectionWatchdog} when a head, a body or an idle wait takes too long.
 */
final class GuardedStream implements Supplier<byte[]> {
    private final HelidonSocket socket;
    private final DataReader peeked;
    private final RequestFraming framing;
    private final String clientAddress;
    private final MalformedRequestLog log;
    private final AdmissionGate gate;
    /** This connection holds a place in the gate: a request of it is being worked on. */
    private boolean admitted;

    /** When the connection began waiting for bytes (System.nanoTime), 0 while a request is being answered. */
    private volatile long waitingSince;
    /** When the current phase (head or body) began. */
    private volatile long phaseSince = System.nanoTime();
    private volatile RequestFraming.Phase phase = RequestFraming.Phase.IDLE;
    private volatile boolean expired;
    private byte[] replay;
    private long unreadBody;
    /** The size of the socket's read array ({@link SocketReadBuffer}); 0 if it is Helidon's own. */
    private int readSize;

    /** @param peeked Helidon's reader of the socket, holding the bytes it read to choose the protocol */
    GuardedStream(HelidonSocket socket, DataReader peeked, RequestFraming framing, String clientAddress,
                  MalformedRequestLog log, AdmissionGate gate) {
        this.gate = gate;
        this.socket = socket;
        this.peeked = peeked;
        this.framing = framing;
        this.clientAddress = clientAddress;
        this.log = log;
        this.readSize = SocketReadBuffer.resize(socket, SocketReadBuffer.IDLE) ? SocketReadBuffer.IDLE : 0;
    }

    /** Reads up to the first head passed on and keeps it, to be read again; null at the end of the stream. */
    byte[] firstHead() {
        replay = next();
        return replay;
    }

    /**
     * The next bytes for Helidon's parser. Asked for with nothing pending, the request before is
     * answered: its place in the gate is given back. Once a whole request has been read, it waits for
     * a place before Helidon sees it; operations and admin requests do not wait, so that a storm can
     * be watched and steered, and neither does a request still arriving, so that a slow client holds
     * no place.
     */
    @Override
    public byte[] get() {
        if (admitted && framing.phase() == RequestFraming.Phase.IDLE) {
            leaveGate();
        }
        if (replay != null) {
            byte[] r = replay;
            replay = null;
            return r;
        }
        byte[] out = next();
        if (out != null && !admitted && framing.phase() == RequestFraming.Phase.IDLE && !GuardedHttp1.isOpsRequest(out)) {
            if (!gate.enter()) {
                return null; // interrupted: the server is stopping
            }
            admitted = true;
        }
        return out;
    }

    /** Gives back the connection's place in the gate, if it holds one; when the connection ends. */
    void leaveGate() {
        if (admitted) {
            admitted = false;
            gate.leave();
        }
    }

    private byte[] next() {
        while (true) {
            if (framing.isClosed() || expired) {
                return null; // Helidon reads the end of the stream and closes the connection
            }
            byte[] in = framing.rejectionPending() ? new byte[0] : read();
            if (in == null) {
                return null;
            }
            byte[] out;
            try {
                out = framing.feed(in);
            } catch (RequestFraming.Rejected e) {
                log.rejected(clientAddress, e.status(), e.getMessage());
                unreadBody = e.unreadBody();
                throw RequestException.builder()
                        .type(DirectHandler.EventType.BAD_REQUEST)
                        .status(Status.create(e.status()))
                        .setKeepAlive(false)
                        .safeMessage(true)
                        .message(e.getMessage())
                        .build();
            }
            RequestFraming.Phase now = framing.phase();
            if (now != phase) {
                phase = now;
                phaseSince = System.nanoTime();
            }
            if (out.length > 0) {
                return out;
            }
        }
    }

    /**
     * After a refused body, reads and drops what the client is still sending of it (up to
     * {@code maxBytes}, in the body's time), so that closing does not reset the answer away: a socket
     * closed with unread bytes sends a TCP reset, and the client loses the 413 it was sent. The bytes
     * read here reach no parser.
     */
    void drainRefusedBody(long maxBytes) {
        long left = unreadBody;
        unreadBody = 0;
        if (left <= 0 || left > maxBytes || expired) {
            return;
        }
        phase = RequestFraming.Phase.BODY;
        phaseSince = System.nanoTime();
        try {
            while (left > 0) {
                byte[] in = read();
                if (in == null) {
                    return;
                }
                left -= in.length;
            }
        } catch (RuntimeException e) {
            // the client went away: nothing more to drop
        } finally {
            phase = RequestFraming.Phase.CLOSED;
        }
    }

    private byte[] read() {
        if (peeked.available() > 0) {
            return peeked.readBytes(peeked.available());
        }
        sizeReadBuffer();
        waitingSince = System.nanoTime();
        try {
            byte[] in = socket.get();
            if (in != null && in.length == readSize && readSize == SocketReadBuffer.IDLE) {
                // The small array came back full: a large head or body is arriving, read it in larger steps.
                resizeReadBuffer(SocketReadBuffer.STREAMING);
            }
            return in;
        } catch (UncheckedIOException e) {
            if (expired) {
                return null;
            }
            throw new ServerConnectionException("cannot read from the socket", e);
        } finally {
            waitingSince = 0;
        }
    }

    /** Between requests the connection waits with the small array, whatever the request before needed. */
    private void sizeReadBuffer() {
        if (readSize == SocketReadBuffer.STREAMING && framing.phase() == RequestFraming.Phase.IDLE) {
            resizeReadBuffer(SocketReadBuffer.IDLE);
        }
    }

    private void resizeReadBuffer(int size) {
        if (SocketReadBuffer.resize(socket, size)) {
            readSize = size;
        }
    }

    /** Closes the connection when it has waited longer than the limits allow; true if it did. */
    boolean expireIfOverdue(ListenerLimits limits, long nowNanos) {
        long waiting = waitingSince;
        if (waiting == 0 || expired) {
            return false; // a request is being answered: its time is not the client's
        }
        boolean overdue = switch (phase) {
            // A new connection must send its first head in the head's time, not linger as an idle one.
            case IDLE -> framing.requests() == 0
                    ? nowNanos - phaseSince > limits.headerTimeout().toNanos()
                    : nowNanos - waiting > limits.idleTimeout().toNanos();
            case HEAD -> nowNanos - phaseSince > limits.headerTimeout().toNanos();
            case BODY -> nowNanos - phaseSince > limits.bodyTimeout().toNanos();
            case CLOSED -> false;
        };
        if (overdue) {
            expired = true;
            socket.close();
        }
        return overdue;
    }

    /** Requests passed on so far. */
    int requests() {
        return framing.requests();
    }
}
