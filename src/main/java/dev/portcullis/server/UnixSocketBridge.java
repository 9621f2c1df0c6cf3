package dev.portcullis.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * docker_auth's {@code net: unix}: a unix socket whose connections are relayed, byte for byte, to the
 * HTTP listener on a loopback port only this process knows. Each connection is two virtual threads.
 */
final class UnixSocketBridge implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private volatile boolean closed;

    private UnixSocketBridge(Path path, ServerSocketChannel server, int targetPort) {
        this.path = path;
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("unix-socket-accept").start(() -> accept(targetPort));
    }

    /** Listens on {@code path} (a stale socket file there is replaced; any other file is refused). */
    static UnixSocketBridge start(Path path, int targetPort) {
        try {
            if (Files.isRegularFile(path) || Files.isDirectory(path)) {
                throw new IllegalStateException(path + " exists and is not a socket; refusing to replace it");
            }
            Files.deleteIfExists(path); // a socket left by a process that did not stop cleanly
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
            return new UnixSocketBridge(path, ch, targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on unix socket " + path + ": " + e.getMessage(), e);
        }
    }

    private void accept(int targetPort) {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().start(() -> relay(client, targetPort));
            } catch (IOException e) {
                if (!closed) {
                    System.getLogger(UnixSocketBridge.class.getName()).log(System.Logger.Level.WARNING,
                            "unix socket accept failed: " + e.getMessage());
                }
            }
        }
    }

    private static void relay(SocketChannel client, int targetPort) {
        try (client; SocketChannel upstream = SocketChannel.open(new InetSocketAddress("127.0.0.1", targetPort))) {
            Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
            upstream.shutdownOutput();
            back.join();
        } catch (IOException e) {
            // the peer went away; nothing to clean up beyond the channels
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed: the relay ends
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort: the socket file is replaced at the next start anyway
        }
        acceptor.interrupt();
    }
}
