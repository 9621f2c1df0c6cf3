package dev.portcullis.policy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigSection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Binary Authorization policy, read from the YAML {@code gcloud container binauthz policy export}
 * writes, unchanged. Rule precedence as Google documents it: service account or Istio identity, then
 * namespace, then cluster, then the default rule.
 */
public record BinauthzPolicy(boolean globalEvaluation, List<AllowlistPattern> allowlist, AdmissionRule defaultRule,
                             Map<String, AdmissionRule> clusterRules, Map<String, AdmissionRule> namespaceRules,
                             Map<String, AdmissionRule> serviceAccountRules, Map<String, AdmissionRule> istioRules) {
    private static final Set<String> KEYS = Set.of("name", "description", "etag", "updateTime", "globalPolicyEvaluationMode",
            "admissionWhitelistPatterns", "defaultAdmissionRule", "clusterAdmissionRules", "kubernetesNamespaceAdmissionRules",
            "kubernetesServiceAccountAdmissionRules", "istioServiceIdentityAdmissionRules");

    /** Images Google allows with globalPolicyEvaluationMode: ENABLE (GKE system images). */
    static final List<AllowlistPattern> GLOBAL = List.of(new AllowlistPattern("gcr.io/gke-release/**"),
            new AllowlistPattern("gke.gcr.io/**"), new AllowlistPattern("registry.k8s.io/**"));

    public BinauthzPolicy {
        allowlist = List.copyOf(allowlist);
        clusterRules = Map.copyOf(clusterRules);
        namespaceRules = Map.copyOf(namespaceRules);
        serviceAccountRules = Map.copyOf(serviceAccountRules);
        istioRules = Map.copyOf(istioRules);
    }

    public static BinauthzPolicy parse(String yaml, String source) {
        ConfigSection root = ConfigDocument.parse(yaml, source, Map.of()).root();
        root.rejectUnknown(KEYS);
        String global = root.string("globalPolicyEvaluationMode", "DISABLE");
        if (!global.equals("ENABLE") && !global.equals("DISABLE") && !global.equals("GLOBAL_POLICY_EVALUATION_MODE_UNSPECIFIED")) {
            throw root.error("globalPolicyEvaluationMode", "must be ENABLE or DISABLE");
        }
        List<AllowlistPattern> allow = new ArrayList<>();
        for (ConfigSection p : root.sectionList("admissionWhitelistPatterns")) {
            p.rejectUnknown(Set.of("namePattern"));
            try {
                allow.add(new AllowlistPattern(p.requireString("namePattern")));
            } catch (PolicyException e) {
                throw p.error("namePattern", e.getMessage());
            }
        }
        if (!root.has("defaultAdmissionRule")) {
            throw root.error("defaultAdmissionRule", "is required");
        }
        return new BinauthzPolicy(global.equals("ENABLE"), allow, AdmissionRule.from(root.section("defaultAdmissionRule")),
                rules(root, "clusterAdmissionRules"), rules(root, "kubernetesNamespaceAdmissionRules"),
                rules(root, "kubernetesServiceAccountAdmissionRules"), rules(root, "istioServiceIdentityAdmissionRules"));
    }

    private static Map<String, AdmissionRule> rules(ConfigSection root, String key) {
        Map<String, AdmissionRule> out = new LinkedHashMap<>();
        ConfigSection s = root.section(key);
        for (String k : s.keys()) {
            out.put(k, AdmissionRule.from(s.section(k)));
        }
        return out;
    }

    /** The rule for a workload, and a name for it in messages and the audit log. */
    public record Selected(String name, AdmissionRule rule) {}

    public Selected select(EvaluationContext ctx) {
        Optional<Selected> r = ctx.serviceAccount().map(sa -> ctx.namespace().orElse("") + ":" + sa)
                .flatMap(k -> find(serviceAccountRules, k, "kubernetesServiceAccountAdmissionRules"))
                .or(() -> ctx.spiffeId().flatMap(id -> find(istioRules, id, "istioServiceIdentityAdmissionRules")))
                .or(() -> ctx.namespace().flatMap(ns -> find(namespaceRules, ns, "kubernetesNamespaceAdmissionRules")))
                .or(() -> ctx.cluster().flatMap(c -> find(clusterRules, c, "clusterAdmissionRules")));
        return r.orElse(new Selected("defaultAdmissionRule", defaultRule));
    }

    /** Every attestor a rule of this policy requires, in the order the policy names them. */
    public Set<String> attestors() {
        Set<String> out = new java.util.LinkedHashSet<>(defaultRule.requireAttestationsBy());
        for (Map<String, AdmissionRule> rules : List.of(clusterRules, namespaceRules, serviceAccountRules, istioRules)) {
            rules.values().forEach(r -> out.addAll(r.requireAttestationsBy()));
        }
        return out;
    }

    private static Optional<Selected> find(Map<String, AdmissionRule> rules, String key, String kind) {
        AdmissionRule r = rules.get(key);
        return r == null ? Optional.empty() : Optional.of(new Selected(kind + "[" + key + "]", r));
    }
}
