package dev.portcullis.engine;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Where the engine listens: {@code unix:/run/docker.sock} or {@code tcp:HOST:PORT}. A connection's
 * read and write sides are used from two threads during a hijacked stream, so they go straight to
 * the channel (the JDK's channel streams would serialise them on one lock).
 */
public record Upstream(String text, java.net.SocketAddress address) {
    /** Reads {@code unix:PATH} or {@code tcp:HOST:PORT}. */
    public static Upstream parse(String text) {
        if (text.startsWith("unix:")) {
            String path = text.substring(5).replaceFirst("^//", "");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("--upstream " + text + ": unix: needs an absolute socket path");
            }
            return new Upstream(text, UnixDomainSocketAddress.of(Path.of(path)));
        }
        if (text.startsWith("tcp:")) {
            String hp = text.substring(4).replaceFirst("^//", "");
            int colon = hp.lastIndexOf(':');
            try {
                return new Upstream(text, new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1))));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--upstream " + text + ": tcp: needs HOST:PORT");
            }
        }
        throw new IllegalArgumentException("--upstream " + text + ": unix:/path/to/engine.sock or tcp:HOST:PORT");
    }

    /** A new connection to the engine. */
    public Connection connect() throws IOException {
        SocketChannel ch = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            ch.connect(address);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new Connection(ch);
    }

    /** One open connection to the engine. */
    public static final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        final InputStream in;
        final OutputStream out;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.in = new BufferedInputStream(new In(channel), 16 * 1024);
            this.out = new BufferedOutputStream(new Out(channel), 16 * 1024);
        }

        void shutdownOutput() {
            try {
                channel.shutdownOutput();
            } catch (IOException ignored) {
                // already closed: nothing more to tell the engine
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with the channel
            }
        }
    }

    private static final class In extends InputStream {
        private final SocketChannel ch;

        In(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n;
            do {
                n = ch.read(ByteBuffer.wrap(b, off, len));
            } while (n == 0);
            return n;
        }
    }

    private static final class Out extends OutputStream {
        private final SocketChannel ch;

        Out(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
