package dev.portcullis.server;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PlainSocket;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;

/**
 * The size of the array a connection's socket reads into. Helidon's plain and TLS sockets (4.5) each
 * allocate an 8 KiB read array and keep it for the connection's life, with no option to size it: at
 * 10,000 idle keep-alive connections that is 80 MB of the heap, half of what a connection costs. A
 * connection here reads into a 1 KiB array while it waits for a request (a token request's head is a
 * few hundred bytes) and into an 8 KiB one only while a large body streams in, so an idle connection
 * holds 1 KiB. The field is set through reflection because Helidon offers no other way; if a Helidon
 * version no longer has it, nothing is changed and the connection reads as Helidon made it
 * ({@code SocketReadBufferTest} fails the build first, so the change is seen).
 */
final class SocketReadBuffer {
    /** What an idle connection reads into: a whole request head of a registry client, most often. */
    static final int IDLE = 1024;
    /** What a streaming body reads into: Helidon's own size. */
    static final int STREAMING = 8192;

    private static final MethodHandle SET = setter();

    private SocketReadBuffer() {
    }

    /** True if this Helidon's sockets can be given another read array. */
    static boolean supported() {
        return SET != null;
    }

    /** Gives the socket a read array of {@code size} bytes; false if it is not a socket this knows. */
    static boolean resize(HelidonSocket socket, int size) {
        if (SET == null || !(socket instanceof PlainSocket)) {
            return false; // TlsSocket is a PlainSocket; anything else (a test's socket) keeps its own
        }
        try {
            SET.invoke((PlainSocket) socket, new byte[size]);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle setter() {
        try {
            Field field = PlainSocket.class.getDeclaredField("readBuffer");
            if (field.getType() != byte[].class) {
                return null;
            }
            field.setAccessible(true);
            return MethodHandles.lookup().unreflectSetter(field);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
