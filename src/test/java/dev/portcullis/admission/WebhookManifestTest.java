package dev.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.pki.Pem;
import dev.portcullis.testbed.KubernetesModel;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ValidatingWebhookConfiguration {@code admission manifests} prints, read by fabric8's typed model. */
class WebhookManifestTest {
    @TempDir
    static Path dir;
    private static Path ca;
    private static String caPem;

    @BeforeAll
    static void ca() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X500Name name = new X500Name("CN=portcullis-ca");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(Instant.now()), Date.from(Instant.now().plusSeconds(3600)), name, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        caPem = Pem.write(cert);
        ca = Files.writeString(dir.resolve("ca.crt"), caPem);
        Files.writeString(dir.resolve("with-key.pem"), caPem + Pem.write(kp));
        Files.writeString(dir.resolve("not-pem.txt"), "hello\n");
    }

    private static ValidatingWebhook webhook(WebhookManifest m) throws Exception {
        List<?> docs = KubernetesModel.readAll(m.yaml(), "manifests");
        assertThat(docs).hasSize(1);
        ValidatingWebhookConfiguration c = (ValidatingWebhookConfiguration) docs.get(0);
        assertThat(c.getWebhooks()).hasSize(1);
        return c.getWebhooks().get(0);
    }

    @Test
    void yaml_readByTheTypedModel_failsClosedWithTheCaAndTheService() throws Exception {
        ValidatingWebhook w = webhook(WebhookManifest.of("portcullis", "portcullis", ca, 443, 5, "/admission/validate"));
        assertThat(w.getName()).isEqualTo("images.portcullis.dev");
        assertThat(w.getFailurePolicy()).isEqualTo("Fail");
        assertThat(w.getSideEffects()).isEqualTo("None");
        assertThat(w.getTimeoutSeconds()).isEqualTo(5);
        assertThat(w.getAdmissionReviewVersions()).containsExactly("v1", "v1beta1");
        assertThat(new String(Base64.getDecoder().decode(w.getClientConfig().getCaBundle()), StandardCharsets.US_ASCII)).isEqualTo(caPem);
        var service = w.getClientConfig().getService();
        assertThat(List.of(service.getNamespace(), service.getName(), service.getPath(), String.valueOf(service.getPort())))
                .containsExactly("portcullis", "portcullis", "/admission/validate", "443");
        var selector = w.getNamespaceSelector().getMatchExpressions().get(0);
        assertThat(selector.getKey()).isEqualTo("kubernetes.io/metadata.name");
        assertThat(selector.getOperator()).isEqualTo("NotIn");
        assertThat(selector.getValues()).containsExactly("portcullis", "kube-system");
    }

    @Test
    void rules_coverPodsTheirEphemeralContainersAndEveryController() throws Exception {
        ValidatingWebhook w = webhook(WebhookManifest.of("sec", "gate", ca, 8443, 10, "/admission/validate"));
        assertThat(w.getRules()).allSatisfy(r -> assertThat(r.getOperations()).containsExactly("CREATE", "UPDATE"));
        assertThat(w.getRules()).extracting(r -> r.getApiGroups().get(0) + ":" + String.join(",", r.getResources())).containsExactly(
                ":pods,pods/ephemeralcontainers,replicationcontrollers", "apps:deployments,replicasets,statefulsets,daemonsets",
                "batch:jobs,cronjobs");
        // Every kind the parser judges is sent to it.
        for (String r : List.of("pods", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs",
                "replicationcontrollers")) {
            assertThat(w.getRules()).anySatisfy(rule -> assertThat(rule.getResources()).contains(r));
        }
    }

    @Test
    void yamlWithMutating_secondDocumentPinsPodsOnlyOnCreateAndIgnoresItsFailures() throws Exception {
        List<?> docs = KubernetesModel.readAll(WebhookManifest.of("portcullis", "portcullis", ca, 443, 5, "/admission/validate")
                .yaml(true), "manifests");
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0)).isInstanceOf(ValidatingWebhookConfiguration.class);
        var m = (io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration) docs.get(1);
        var w = m.getWebhooks().get(0);
        assertThat(w.getName()).isEqualTo("pins.portcullis.dev");
        assertThat(w.getClientConfig().getService().getPath()).isEqualTo("/admission/mutate");
        assertThat(w.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(w.getSideEffects()).isEqualTo("None");
        assertThat(w.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getResources()).containsExactly("pods");
            assertThat(r.getOperations()).containsExactly("CREATE");
        });
        assertThat(w.getNamespaceSelector().getMatchExpressions().get(0).getValues()).containsExactly("portcullis", "kube-system");
    }

    @Test
    void of_caFileWithAPrivateKey_isRefusedAndTheKeyNeverPrinted() {
        assertThatThrownBy(() -> WebhookManifest.of("p", "p", dir.resolve("with-key.pem"), 443, 5, "/a"))
                .isInstanceOf(AdmissionException.class).hasMessageContaining("holds a private key");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing ca      | p    | p    | nope.crt    | 443   | 5  | /a  | --ca ",
            "not a PEM       | p    | p    | not-pem.txt | 443   | 5  | /a  | not a PEM certificate",
            "timeout 0       | p    | p    | ca.crt      | 443   | 0  | /a  | --timeout-seconds must be between 1 and 30",
            "timeout 31      | p    | p    | ca.crt      | 443   | 31 | /a  | --timeout-seconds must be between 1 and 30",
            "port 0          | p    | p    | ca.crt      | 0     | 5  | /a  | --port must be between 1 and 65535",
            "port 65536      | p    | p    | ca.crt      | 65536 | 5  | /a  | --port must be between 1 and 65535",
            "namespace upper | Web  | p    | ca.crt      | 443   | 5  | /a  | --namespace must be",
            "service digit   | p    | 1svc | ca.crt      | 443   | 5  | /a  | --service must be",
            "path relative   | p    | p    | ca.crt      | 443   | 5  | a/b | --path must be"})
    void of_badInput_isRefusedNamingTheOption(String what, String ns, String svc, String file, int port, int timeout, String path,
                                              String message) {
        assertThatThrownBy(() -> WebhookManifest.of(ns, svc, dir.resolve(file), port, timeout, path))
                .isInstanceOf(AdmissionException.class).hasMessageContaining(message.strip());
    }
}
