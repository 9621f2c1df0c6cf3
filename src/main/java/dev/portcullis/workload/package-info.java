/**
 * What runs where: the pods of a Kubernetes cluster, watched through the API server (fabric8's
 * informer) into an in-memory inventory that other capabilities read, and the Events posted on them.
 */
package dev.portcullis.workload;
