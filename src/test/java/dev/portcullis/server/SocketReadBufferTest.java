package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.socket.PlainSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The read array of Helidon's socket, resized on the Helidon this project builds with. */
class SocketReadBufferTest {

    @Test
    void supported_helidonOfThisBuild_isTrue() {
        // Fails when a Helidon upgrade renames or retypes the field: the idle connection's cost would
        // silently go back to 8 KiB, so the upgrade must look at SocketReadBuffer first.
        assertThat(SocketReadBuffer.supported()).isTrue();
    }

    @Test
    void resize_smallArray_readsAtMostItsSizeAndNothingIsLost() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            PlainSocket socket = PlainSocket.server(accepted, "c", "s");
            assertThat(SocketReadBuffer.resize(socket, SocketReadBuffer.IDLE)).isTrue();
            byte[] sent = new byte[5000];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) i;
            }
            OutputStream out = client.getOutputStream();
            out.write(sent);
            out.flush();
            byte[] got = new byte[sent.length];
            int at = 0;
            int largest = 0;
            while (at < sent.length) {
                byte[] in = socket.get();
                largest = Math.max(largest, in.length);
                System.arraycopy(in, 0, got, at, in.length);
                at += in.length;
            }
            assertThat(largest).isLessThanOrEqualTo(SocketReadBuffer.IDLE);
            assertThat(got).isEqualTo(sent);
        }
    }
}
