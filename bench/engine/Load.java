import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Load generator for mutual TLS: CONNECTIONS keep-alive connections, each a thread sending GET PATH
 * one after the other for SECONDS, with the client certificate of DIR (ca.pem, cert.pem, key.pem).
 * Prints requests/s and latency percentiles. The same program drives the guard and nginx.
 *
 * java Load.java HOST PORT PATH CONNECTIONS SECONDS DIR
 */
public final class Load {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        String path = a[2];
        int connections = Integer.parseInt(a[3]);
        long millis = Long.parseLong(a[4]) * 1000;
        SSLContext tls = context(Path.of(a[5]));
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: engine\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> latencies = new ArrayList<>();
        long[] errors = new long[connections];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            long[] mine = new long[Math.max(100_000, 8_000_000 / connections)];
            latencies.add(mine);
            int n = i;
            threads.add(Thread.ofPlatform().start(() -> {
                int count = 0;
                while (!stop.get()) {
                    try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
                        s.setSoTimeout(10_000);
                        OutputStream out = s.getOutputStream();
                        InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
                        while (!stop.get() && count < mine.length - 1) {
                            long t = System.nanoTime();
                            out.write(request);
                            out.flush();
                            if (!response(in)) {
                                break;
                            }
                            mine[++count] = System.nanoTime() - t;
                        }
                    } catch (IOException e) {
                        errors[n]++;
                    }
                }
                mine[0] = count;
            }));
        }
        Thread.sleep(millis);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        long total = 0;
        for (long[] l : latencies) {
            total += l[0];
        }
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 1, all, k, (int) l[0]);
            k += (int) l[0];
        }
        Arrays.sort(all);
        System.out.printf("requests/s %.0f  p50 %.2f ms  p99 %.2f ms  max %.2f ms  errors %d%n", total * 1000.0 / millis,
                pct(all, 0.50), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6, Arrays.stream(errors).sum());
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    // One response: its head, then a Content-Length or chunked body. False when the server closed.
    private static boolean response(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            return false;
        }
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("answer: " + status);
        }
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        String h;
        while (!(h = line(in)).isEmpty()) {
            String l = h.toLowerCase();
            if (l.startsWith("content-length:")) {
                length = Long.parseLong(l.substring(15).strip());
            } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            } else if (l.startsWith("connection:") && l.contains("close")) {
                close = true;
            }
        }
        if (chunked) {
            long size;
            while ((size = Long.parseLong(line(in).split(";")[0].strip(), 16)) > 0) {
                in.skipNBytes(size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        return !close;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return b.isEmpty() ? null : b.toString();
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static SSLContext context(Path dir) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", cf.generateCertificate(Files.newInputStream(dir.resolve("ca.pem"))));
        String pem = Files.readString(dir.resolve("key.pem")).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Certificate cert = cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("cert.pem"))));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
