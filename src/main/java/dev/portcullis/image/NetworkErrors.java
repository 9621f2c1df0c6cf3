package dev.portcullis.image;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/** Says in words why an HTTP call failed: the JDK's client often throws with a null message ("null" on the console). */
public final class NetworkErrors {
    private NetworkErrors() {}

    /** "connection refused", "unknown host", ...: what the causes say, in words. */
    public static String reason(IOException e) {
        boolean connect = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "connection timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer in time";
            }
            connect |= t instanceof ConnectException;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) {
                // "Connection reset" reads as part of our sentence; "HTTP/1.1 ..." keeps its capitals.
                return m.length() > 1 && Character.isLowerCase(m.charAt(1)) ? Character.toLowerCase(m.charAt(0)) + m.substring(1) : m;
            }
        }
        // The JDK's client drops the system's message: a connect that failed at once was refused.
        return connect ? "connection refused" : e.getClass().getSimpleName();
    }
}
