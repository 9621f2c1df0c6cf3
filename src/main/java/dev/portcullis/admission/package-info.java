/**
 * The Kubernetes validating admission webhook: AdmissionReviews read into records of this package,
 * every image of a pod or pod template judged by the policy, the answer in Binary Authorization's
 * words, break-glass as Google has it. Its route is in {@code server}.
 */
package dev.portcullis.admission;
