#!/usr/bin/env bash
# Makes a deployment CA and certificates for the cluster's own traffic (silo to silo, proxy to
# gateway; AgentCluster:Cluster:Tls in README.md), with openssl.
#
# usage: deploy/cluster/make-certs.sh OUTDIR [NAME...]      (NAMEs default to: silo proxy)
#
#   OUTDIR/ca.crt            the deployment CA (give it to every silo and proxy as CaFile)
#   OUTDIR/ca.key            its private key (0600): keep it off the nodes; only this script needs it
#   OUTDIR/NAME.crt, .key    a certificate and key (0600) signed by the CA, PEM
#   OUTDIR/NAME.pfx          the same as PKCS#12, only when PFX_PASSWORD is set (encrypted with it)
#
# A NAME starting with "proxy" gets client authentication only (a proxy never accepts cluster
# connections); any other NAME, a silo's, gets server and client authentication. Run it again
# with new NAMEs to add nodes: an existing CA in OUTDIR is reused, existing certificates are kept.
# DAYS (default 825) sets the certificates' lifetime; the CA's is 10 years.
set -euo pipefail

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

(($# >= 1)) || die "usage: $0 OUTDIR [NAME...]"
command -v openssl >/dev/null 2>&1 || die "openssl is not installed (Debian: apt-get install openssl)"
out=$1
shift
names=("$@")
((${#names[@]})) || names=(silo proxy)
days=${DAYS:-825}
mkdir -p "$out"
umask 077

if [[ ! -f $out/ca.key ]]; then
  [[ ! -f $out/ca.crt ]] || die "$out/ca.crt exists without ca.key: refusing to make a second CA beside it"
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/ca.key"
  openssl req -x509 -new -key "$out/ca.key" -sha256 -days 3650 -subj "/CN=AgentCluster deployment CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$out/ca.crt"
  chmod 644 "$out/ca.crt"
fi

for name in "${names[@]}"; do
  [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "bad certificate name: $name"
  if [[ -f $out/$name.crt ]]; then
    printf 'kept %s/%s.crt\n' "$out" "$name" >&2
    continue
  fi
  usage=serverAuth,clientAuth
  [[ $name == proxy* ]] && usage=clientAuth
  ext=$(mktemp)
  # shellcheck disable=SC2064 # expand now: remove this name's extension file
  trap "rm -f '$ext' '$out/$name.csr'" EXIT
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=$usage" "subjectAltName=DNS:$name" >"$ext"
  openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$out/$name.key"
  openssl req -new -key "$out/$name.key" -subj "/CN=$name" -out "$out/$name.csr"
  openssl x509 -req -in "$out/$name.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
    -sha256 -days "$days" -extfile "$ext" -out "$out/$name.crt" 2>/dev/null
  chmod 644 "$out/$name.crt"
  if [[ -n ${PFX_PASSWORD:-} ]]; then
    openssl pkcs12 -export -inkey "$out/$name.key" -in "$out/$name.crt" -name "$name" \
      -passout env:PFX_PASSWORD -out "$out/$name.pfx"
  fi
  rm -f "$ext" "$out/$name.csr"
  trap - EXIT
  printf 'made %s/%s.crt (%s)\n' "$out" "$name" "$usage" >&2
done
rm -f "$out/ca.srl"
