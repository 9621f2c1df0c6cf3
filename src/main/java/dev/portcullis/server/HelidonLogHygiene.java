package dev.portcullis.server;

import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps request content out of the server log: Helidon's warnings about a request it could not handle
 * carry the exception's message (a malformed chunk size once logged the form body holding a password)
 * and its stack trace. Each becomes one escaped, shortened line naming the exception's type. A listener
 * that could not bind is left to serve's own one-line error (HttpServer), not logged twice more.
 */
final class HelidonLogHygiene implements Filter {
    private static volatile boolean installed;

    private HelidonLogHygiene() {}

    /** Puts the filter on the root logger's handlers, once. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        for (Handler h : Logger.getLogger("").getHandlers()) {
            Filter previous = h.getFilter();
            HelidonLogHygiene mine = new HelidonLogHygiene();
            h.setFilter(previous == null ? mine : r -> mine.isLoggable(r) && previous.isLoggable(r));
        }
        installed = true;
    }

    @Override
    public boolean isLoggable(LogRecord r) {
        String name = r.getLoggerName();
        if ("io.helidon.webserver.LoomServer".equals(name) && r.getMessage() != null
                && (r.getMessage().startsWith("Failed to start listener") || r.getMessage().startsWith("Helidon WebServer failed to start"))) {
            return false;
        }
        if (name != null && name.startsWith("io.helidon") && r.getThrown() != null && r.getLevel().intValue() >= Level.INFO.intValue()) {
            String type = r.getThrown().getClass().getName();
            r.setThrown(null);
            r.setParameters(null);
            r.setMessage(printable(r.getMessage()) + " [" + type + "; details withheld: they may hold request content]");
        }
        return true;
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
