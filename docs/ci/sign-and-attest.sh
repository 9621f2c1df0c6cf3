#!/usr/bin/env bash
# The signing step of a CI pipeline: after the image is pushed, vouch for its digest.
#   IMAGE_DIGEST_URL   REPOSITORY@sha256:<digest> of the pushed image (e.g. from `skopeo inspect`)
#   ATTESTOR           e.g. projects/acme/attestors/built-by-ci
#   SIGNING_KEY        path to the key: an OpenPGP secret key (armored), or a PKIX PEM private key
#   SIGNING_ALGORITHM  for PKIX keys, e.g. ECDSA_P256_SHA256 (leave empty for OpenPGP)
#   PUBLIC_KEY_ID      for PKIX keys, the id the attestor knows the key by (ni:///sha-256;...)
#   PORTCULLIS_SERVER  and PORTCULLIS_ADMIN_TOKEN: where to submit
# PORTCULLIS is the command to run (default: portcullis; e.g. "java -jar portcullis.jar").
set -euo pipefail
: "${IMAGE_DIGEST_URL:?}" "${ATTESTOR:?}" "${SIGNING_KEY:?}" "${PORTCULLIS_SERVER:?}" "${PORTCULLIS_ADMIN_TOKEN:?}"
portcullis=${PORTCULLIS:-portcullis}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

$portcullis attest create-signature-payload --artifact-url "$IMAGE_DIGEST_URL" > "$work/payload.json"

if [ -z "${SIGNING_ALGORITHM:-}" ]; then
  $portcullis attest sign --payload "$work/payload.json" --pgp-secret-key "$SIGNING_KEY" --pgp-attached \
      --output "$work/signature.asc"
  $portcullis attest create --attestor "$ATTESTOR" --artifact-url "$IMAGE_DIGEST_URL" \
      --signature-file "$work/signature.asc" --pgp-signed
else
  : "${PUBLIC_KEY_ID:?PKIX keys need PUBLIC_KEY_ID}"
  $portcullis attest sign --payload "$work/payload.json" --pkix-private-key "$SIGNING_KEY" \
      --signature-algorithm "$SIGNING_ALGORITHM" --output "$work/signature.bin"
  $portcullis attest create --attestor "$ATTESTOR" --artifact-url "$IMAGE_DIGEST_URL" \
      --payload "$work/payload.json" --signature-file "$work/signature.bin" --public-key-id "$PUBLIC_KEY_ID"
fi

# Fail the pipeline now, rather than at deploy time, if the policy would still refuse the image.
$portcullis policy evaluate --image "$IMAGE_DIGEST_URL" ${NAMESPACE:+--namespace "$NAMESPACE"}
