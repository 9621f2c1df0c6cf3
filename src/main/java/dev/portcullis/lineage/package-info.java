/**
 * Image lineage: which image is built on which, learned from the registry's notifications, and bans of
 * a base that reach every image built on it (a policy check), with the affected images listed.
 */
package dev.portcullis.lineage;
