package dev.portcullis.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes that fail as on a full disk while {@link #full} is set: the first calls of an append write
 * half of what is left (a torn line on the real file), then one throws ENOSPC's message.
 */
final class FullDisk implements AuditFiles.Writes {
    volatile boolean full;

    @Override
    public int write(FileChannel channel, ByteBuffer bytes) throws IOException {
        if (!full) {
            return channel.write(bytes);
        }
        if (bytes.remaining() > 16) {
            int n = channel.write(bytes.slice(bytes.position(), bytes.remaining() / 2));
            bytes.position(bytes.position() + n);
            return n;
        }
        throw new IOException("No space left on device");
    }
}
