package dev.portcullis.attest;

/** A key an attestor trusts, and whether it was revoked (a revoked key never comes back). */
public record TrustedKey(AttestorKey key, boolean revoked) {}
