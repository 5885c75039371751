#!/usr/bin/env bash
# Installs the Debian packages Lajna needs, once. Usage: system-deps.sh build|test|postgres
#   build:    what compiles the mediasoup worker from Debian's libraries
#   test:     Chromium for the browser tests, poppler-utils (pdftotext, pdfsig), fonts for Arabic
#   postgres: the PostgreSQL server for the second integration pass (scripts/test-postgres.sh), HAProxy for the multi-node tests
# Skips apt entirely when every package is already installed, so a second run costs ~0 s.
set -euo pipefail
log() { echo "[system-deps] $*" >&2; }

case "${1:-}" in
	# The worker's build packages live beside its build script: they are part of its cache key.
	build) read -r -d '' -a PKGS < "$(dirname "$0")/mediasoup-worker/debian-packages" || true ;;
	# shared-mime-info and libtasn1-doc ship the PDFs (written by others) the intake tests upload.
	# coturn and openssl: the TURN-over-TLS test (a self-signed certificate for a coturn on loopback).
	# libnss3-tools (certutil): the signature tests trust the municipality's CA in pdfsig's NSS database.
	test) PKGS=(chromium poppler-utils fonts-noto-core fonts-dejavu-core qpdf shared-mime-info libtasn1-doc coturn openssl libnss3-tools) ;;
	postgres) PKGS=(postgresql haproxy) ;;
	*) echo "usage: $0 build|test|postgres" >&2; exit 2 ;;
esac

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
needs_meson=0
if [[ "$1" == build ]]; then
	# mediasoup's meson.build needs meson >= 1.1; bookworm has 1.0.1, bookworm-backports 1.7.
	v=$(meson --version 2>/dev/null || echo 0)
	[[ "$(printf '%s\n1.1.0\n' "$v" | sort -V | head -1)" == 1.1.0 ]] || needs_meson=1
fi
[[ ${#missing[@]} -eq 0 && $needs_meson -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
	SUDO=sudo
	command -v sudo >/dev/null || { log "missing packages: ${missing[*]} (and root is needed to install them)"; exit 1; }
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
APT=($SUDO apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends)
# Either file layout may be absent (deb822-only machines have no sources.list): read what exists.
apt_sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d; do [[ -e $f ]] && apt_sources+=("$f"); done
if [[ $needs_meson -eq 1 ]] && ! grep -rqs bookworm-backports "${apt_sources[@]}"; then
	# Same mirror as the machine's own bookworm entry, so a local mirror keeps working.
	mirror=$({ grep -rhoE '(URIs:|^deb)[[:space:]]+[^[:space:]]+/debian/?([[:space:]]|$)' "${apt_sources[@]}" || true; } \
		| awk '{print $2}' | head -1)
	[[ -n "$mirror" ]] || { log "no Debian mirror found in /etc/apt to add bookworm-backports from"; exit 1; }
	log "adding bookworm-backports from $mirror (for meson >= 1.1)"
	echo "deb $mirror bookworm-backports main" | $SUDO tee /etc/apt/sources.list.d/lajna-backports.list >/dev/null
fi
log "installing: ${missing[*]} $([[ $needs_meson -eq 1 ]] && echo meson)"
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || log "apt-get update reported errors; continuing"
[[ ${#missing[@]} -gt 0 ]] && "${APT[@]}" install "${missing[@]}" >&2
[[ $needs_meson -eq 1 ]] && "${APT[@]}" install -t bookworm-backports meson >&2
exit 0
