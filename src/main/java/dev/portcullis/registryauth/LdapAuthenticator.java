package dev.portcullis.registryauth;

import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.config.Secret;
import dev.portcullis.pki.Pem;
import dev.portcullis.pki.PemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * docker_auth's {@code ldap_auth}: bind as the service account, find the user with {@code filter}
 * (the account escaped into it), then bind as that entry with the given password; labels come from
 * the entry's attributes. An empty password is refused before any bind: LDAP would take it as an
 * anonymous bind and succeed.
 */
final class LdapAuthenticator implements Authenticator {
    private static final Set<String> KEYS = Set.of("addr", "tls", "insecure_tls_skip_verify", "ca_certificate",
            "base", "filter", "bind_dn", "bind_password_file", "labels", "timeout");

    private record LabelSource(String attribute, boolean parseCn) {}

    private final String host;
    private final int port;
    private final String tls;
    private final SSLSocketFactory sockets;
    private final String base;
    private final String filter;
    private final Optional<String> bindDn;
    private final Optional<Secret> bindPassword;
    private final Map<String, LabelSource> labels;
    private final int timeoutMillis;

    private LdapAuthenticator(String host, int port, String tls, boolean skipVerify, SSLContext sslContext, String base,
                              String filter, Optional<String> bindDn, Optional<Secret> bindPassword,
                              Map<String, LabelSource> labels, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        // Handshakes check the certificate names the configured host, unless verification is off.
        this.sockets = new EndpointCheckingSocketFactory(sslContext.getSocketFactory(), skipVerify ? null : "LDAPS");
        this.base = base;
        this.filter = filter;
        this.bindDn = bindDn;
        this.bindPassword = bindPassword;
        this.labels = labels;
        this.timeoutMillis = timeoutMillis;
    }

    public static LdapAuthenticator from(ConfigSection s) {
        s.rejectUnknown(KEYS);
        String addr = s.requireString("addr");
        int colon = addr.lastIndexOf(':');
        String tls = s.string("tls", "always");
        if (!Set.of("always", "starttls", "none").contains(tls)) {
            throw s.error("tls", "must be always, starttls or none");
        }
        String host = colon < 0 ? addr : addr.substring(0, colon);
        int port;
        try {
            port = colon < 0 ? (tls.equals("always") ? 636 : 389) : Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw s.error("addr", "must be host:port");
        }
        boolean skipVerify = s.bool("insecure_tls_skip_verify", false);
        SSLContext sslContext = sslContext(s, skipVerify);
        String filter = s.requireString("filter");
        if (!filter.contains("${account}")) {
            throw s.error("filter", "must contain ${account}, e.g. (&(uid=${account})(objectClass=person))");
        }
        try {
            Filter.create(filter.replace("${account}", "x"));
        } catch (LDAPException e) {
            throw s.error("filter", "is not an LDAP filter: " + e.getMessage());
        }
        Optional<Secret> password = s.string("bind_password_file").map(f -> {
            try {
                return Secret.of(Files.readString(Path.of(f), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw s.error("bind_password_file", "cannot be read: " + e.getMessage());
            }
        });
        Map<String, LabelSource> labels = new LinkedHashMap<>();
        ConfigSection ls = s.section("labels");
        for (String name : ls.keys()) {
            ConfigSection l = ls.section(name);
            l.rejectUnknown(Set.of("attribute", "parse_cn"));
            labels.put(name, new LabelSource(l.requireString("attribute"), l.bool("parse_cn", false)));
        }
        return new LdapAuthenticator(host, port, tls, skipVerify, sslContext, s.requireString("base"), filter,
                s.string("bind_dn"), password, labels, (int) s.duration("timeout", java.time.Duration.ofSeconds(5)).toMillis());
    }

    // As docker_auth: with ca_certificate the server's chain must lead to one of its certificates and to
    // nothing else; without it, to the JVM's trust store. insecure_tls_skip_verify trusts any server.
    private static SSLContext sslContext(ConfigSection s, boolean skipVerify) {
        try {
            if (skipVerify) {
                return new SSLUtil(new TrustAllTrustManager()).createSSLContext();
            }
            Optional<String> ca = s.string("ca_certificate");
            if (ca.isEmpty()) {
                return new SSLUtil().createSSLContext();
            }
            List<X509Certificate> certificates;
            try {
                certificates = Pem.readCertificates(Path.of(ca.get()));
            } catch (PemException e) {
                throw s.error("ca_certificate", "cannot be used: " + e.getMessage());
            }
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                anchors.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            TrustManager[] managers = factory.getTrustManagers();
            return new SSLUtil(managers).createSSLContext();
        } catch (GeneralSecurityException | IOException e) {
            throw s.error("ca_certificate", "cannot set up TLS: " + e.getMessage());
        }
    }

    @Override
    public AuthnResult authenticate(String account, Secret password) {
        if (account.isEmpty() || password.isEmpty()) {
            return new AuthnResult.NoMatch();
        }
        try (LDAPConnection c = connect()) {
            if (bindDn.isPresent()) {
                c.bind(bindDn.get(), bindPassword.map(Secret::reveal).orElse(""));
            }
            String f = filter.replace("${account}", Filter.encodeValue(account));
            SearchResult found = c.search(base, SearchScope.SUB, Filter.create(f), attributes());
            if (found.getEntryCount() == 0) {
                return new AuthnResult.NoMatch();
            }
            if (found.getEntryCount() > 1) {
                throw new AuthServiceException("ldap_auth: the filter found " + found.getEntryCount()
                        + " entries for one account; it must find one");
            }
            SearchResultEntry entry = found.getSearchEntries().get(0);
            try {
                c.bind(entry.getDN(), password.reveal());
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                    return new AuthnResult.Rejected("ldap_auth");
                }
                throw e;
            }
            return new AuthnResult.Authenticated(labelsOf(entry), "ldap_auth");
        } catch (LDAPException e) {
            // The SDK's message can quote the request; keep only the result code.
            throw new AuthServiceException("ldap_auth: " + host + ":" + port + " answered " + e.getResultCode());
        }
    }

    /**
     * The directory could say whether the entry still exists, but not whether its password changed:
     * only a bind with the password tells, as at every login with docker_auth.
     */
    @Override
    public AccountState lookup(String account) {
        return new AccountState.Unverifiable("ldap_auth");
    }

    private String[] attributes() {
        return labels.values().stream().map(LabelSource::attribute).distinct().toArray(String[]::new);
    }

    private Map<String, List<String>> labelsOf(SearchResultEntry entry) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        labels.forEach((name, source) -> {
            String[] values = entry.getAttributeValues(source.attribute());
            List<String> list = new ArrayList<>();
            if (values != null) {
                for (String v : values) {
                    list.add(source.parseCn() ? cn(v) : v);
                }
            }
            out.put(name, list);
        });
        return out;
    }

    private static String cn(String dn) {
        for (String rdn : dn.split(",")) {
            String t = rdn.trim();
            if (t.regionMatches(true, 0, "cn=", 0, 3)) {
                return t.substring(3);
            }
        }
        return dn;
    }

    private LDAPConnection connect() throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(timeoutMillis);
        options.setResponseTimeoutMillis(timeoutMillis);
        return switch (tls) {
            case "always" -> new LDAPConnection(sockets, options, host, port);
            case "starttls" -> {
                // A refused StartTLS must not fall back to binding in the clear.
                LDAPConnection c = new LDAPConnection(options, host, port);
                ExtendedResult result;
                try {
                    result = c.processExtendedOperation(new StartTLSExtendedRequest(sockets));
                } catch (LDAPException e) {
                    c.close();
                    throw e;
                }
                if (result.getResultCode() != ResultCode.SUCCESS) {
                    c.close();
                    throw new LDAPException(result.getResultCode(), "StartTLS refused");
                }
                yield c;
            }
            default -> new LDAPConnection(options, host, port);
        };
    }
}
