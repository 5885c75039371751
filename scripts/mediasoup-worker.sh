#!/usr/bin/env bash
# Leaves a working mediasoup-worker where mediasoup looks for it by default
# (node_modules/mediasoup/worker/out/Release/mediasoup-worker), so nobody has to
# export MEDIASOUP_WORKER_BIN. Runs as the project's postinstall; mediasoup's own
# postinstall is denied in package.json's allowScripts because on an offline
# server it spends ~40 s failing to download and then fails to build.
#
# Order: 1. a cached binary (outside node_modules, which `npm ci` deletes),
#        2. the prebuilt binary mediasoup publishes, when it can be downloaded,
#        3. a build from Debian's libraries (scripts/mediasoup-worker/build.sh).
# The cache key is the mediasoup version plus the hash of the build scripts and their
# Debian package list (not of system-deps.sh, which the test packages change too).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[mediasoup-worker] $*" >&2; }

PKG=node_modules/mediasoup
[[ -f $PKG/package.json ]] || { log "mediasoup is not installed; nothing to do"; exit 0; }
VERSION=$(node -p "require('./$PKG/package.json').version")
TARGET="$PKG/worker/out/Release/mediasoup-worker"
KEY="$VERSION-$(find scripts/mediasoup-worker.sh scripts/mediasoup-worker -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)"
CACHE="${LAJNA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lajna}/mediasoup-worker/$KEY"

# A worker started without MEDIASOUP_VERSION exits with 41: proof that it runs here.
runs() { local rc=0; env -i "$1" >/dev/null 2>&1 || rc=$?; [[ $rc -eq 41 ]]; }
install_bin() { mkdir -p "$(dirname "$TARGET")"; cp -f "$1" "$TARGET.tmp"; chmod 0755 "$TARGET.tmp"; mv -f "$TARGET.tmp" "$TARGET"; }

if [[ -x $TARGET ]] && runs "$TARGET"; then log "present: $TARGET"; exit 0; fi
if [[ -x $CACHE/mediasoup-worker ]] && runs "$CACHE/mediasoup-worker"; then
	install_bin "$CACHE/mediasoup-worker"; log "from cache $CACHE"; exit 0
fi
mkdir -p "$CACHE"

# 2. The published prebuilt binary (its address comes from mediasoup's package.json,
#    as mediasoup's own installer builds it).
if [[ "${LAJNA_SKIP_PREBUILT:-0}" != 1 ]]; then
	URL=$(node -e "
		const p=require('./$PKG/package.json'), os=require('os');
		const base=p.repository.url.replace(/^git\+/,'').replace(/\.git\$/,'');
		const kernel=os.platform()==='linux'?'-kernel'+os.release().split('.')[0]:'';
		console.log(base+'/releases/download/'+p.version+'/mediasoup-worker-'+p.version+'-'+os.platform()+'-'+os.arch()+kernel+'.tgz')")
	TMP=$(mktemp -d)
	if curl -fsSL --connect-timeout 5 --max-time 120 -o "$TMP/w.tgz" "$URL" 2>/dev/null \
		&& tar xzf "$TMP/w.tgz" -C "$TMP" && runs "$TMP/mediasoup-worker"; then
		cp -f "$TMP/mediasoup-worker" "$CACHE/mediasoup-worker"; rm -rf "$TMP"
		install_bin "$CACHE/mediasoup-worker"; log "prebuilt binary downloaded"; exit 0
	fi
	rm -rf "$TMP"
	log "no prebuilt binary could be downloaded; building from Debian's libraries (~5 min)"
fi

# 3. Build from the worker sources npm installed, against Debian's libraries.
if ! bash scripts/system-deps.sh build; then
	log "FAILED: could not install the Debian build packages (see above); the worker needs"
	log "  build-essential libssl-dev libuv1-dev libsrtp2-dev libusrsctp-dev libabsl-dev"
	log "  libflatbuffers-dev flatbuffers-compiler ninja-build and meson >= 1.1"
	exit 1
fi
if ! bash scripts/mediasoup-worker/build.sh "$PKG/worker" "$CACHE"; then
	log "FAILED: building mediasoup-worker $VERSION from Debian's libraries (log above)"
	exit 1
fi
runs "$CACHE/mediasoup-worker" || { log "FAILED: the built worker does not run on this host"; exit 1; }
install_bin "$CACHE/mediasoup-worker"
log "built and cached in $CACHE"
