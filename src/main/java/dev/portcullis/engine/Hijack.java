package dev.portcullis.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.net.ssl.SSLSocket;

/**
 * A hijacked stream ({@code docker exec}, {@code attach}: the engine answered 101): raw bytes both
 * ways. The client's end of input is passed on as a half-close, so the engine sends the rest of the
 * output; the engine's end closes both.
 */
final class Hijack {
    private Hijack() {}

    static void join(SSLSocket client, InputStream clientIn, OutputStream clientOut, Upstream.Connection up) throws IOException {
        client.setSoTimeout(0); // an interactive session may be idle for hours
        Thread toEngine = Thread.ofVirtual().name("hijack-in").start(() -> {
            try {
                pump(clientIn, up.out);
            } catch (IOException e) {
                // the client went away or the engine closed: the other direction ends it
            } finally {
                up.shutdownOutput();
            }
        });
        try {
            pump(up.in, clientOut);
        } finally {
            up.close();
            client.close();
            toEngine.interrupt();
        }
    }

    private static void pump(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (in.available() == 0) {
                out.flush();
            }
        }
        out.flush();
    }
}
