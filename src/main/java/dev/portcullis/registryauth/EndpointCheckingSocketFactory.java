package dev.portcullis.registryauth;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets, 1.2 or 1.3 only, that check the server's certificate names the host asked for, by the
 * JDK's rules for the given protocol ("LDAPS", "HTTPS"): a trusted chain alone would accept any
 * certificate its CA issued, for any host. Host names are never resolved backwards to match. A null
 * algorithm checks no name (only for {@code insecure_tls_skip_verify}).
 */
final class EndpointCheckingSocketFactory extends SSLSocketFactory {
    private static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    private final SSLSocketFactory delegate;
    private final String algorithm;

    EndpointCheckingSocketFactory(SSLSocketFactory delegate, String algorithm) {
        this.delegate = delegate;
        this.algorithm = algorithm;
    }

    private Socket checked(Socket socket) {
        if (socket instanceof SSLSocket ssl) {
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm(algorithm);
            params.setProtocols(Arrays.stream(ssl.getSupportedProtocols()).filter(PROTOCOLS::contains).toArray(String[]::new));
            ssl.setSSLParameters(params);
        }
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return checked(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return checked(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
        return checked(delegate.createSocket(s, consumed, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return checked(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return checked(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return checked(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return checked(delegate.createSocket(address, port, localAddress, localPort));
    }
}
