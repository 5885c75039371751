#!/usr/bin/env bash
# Builds mediasoup-worker from mediasoup's worker sources against Debian's libraries,
# without the network: the meson wraps (which download) are replaced by the local
# subprojects beside this script. Usage: build.sh WORKER_SRC_DIR OUT_DIR
# Leaves OUT_DIR/mediasoup-worker (needs libsrtp2-1 at run time).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC_IN="$(cd "$1" && pwd)"
OUT="$(mkdir -p "$2" && cd "$2" && pwd)"
JOBS="${JOBS:-$(nproc)}"
log() { echo "[mediasoup-worker build] $*" >&2; }
for tool in meson ninja flatc pkg-config c++; do
	command -v $tool >/dev/null || { log "missing tool: $tool"; exit 1; }
done

WORK="$OUT/.work"
rm -rf "$WORK"; mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
cp -a "$SRC_IN" "$WORK/worker"
SRC="$WORK/worker"
# Drop the prebuilt outputs npm may have left, and every wrap (they download).
rm -rf "$SRC/out" "$SRC"/subprojects/*.wrap
cp -a "$HERE/subprojects/." "$SRC/subprojects/"
for d in "$SRC"/subprojects/*/; do
	[[ -f $d/shim.c ]] || echo "int ms_debian_shim_$(basename "$d" | tr -c 'a-z0-9\n' _);" > "$d/shim.c"
done

# The one source patch: DtlsTransport's BIO callback must return the real result of
# every BIO_CB_RETURN callback. Otherwise, with Debian's kTLS-enabled OpenSSL,
# BIO_get_ktls_send() reads as true, no write buffer is allocated, and the first
# DTLS write crashes the worker.
DTLS="$SRC/src/RTC/DtlsTransport.cpp"
sed -i 's/resultOfcallback = (operationType == BIO_CB_RETURN)/resultOfcallback = (operationType \& BIO_CB_RETURN)/' "$DTLS"
grep -q 'resultOfcallback = (operationType & BIO_CB_RETURN)' "$DTLS" \
	|| { log "the DtlsTransport.cpp patch no longer applies to this mediasoup version"; exit 1; }

cd "$SRC"
log "meson setup ($(meson --version))"
meson setup --wrap-mode=nodownload --buildtype release -Db_ndebug=true \
	-Dms_disable_liburing=true "$WORK/build" . >&2
# As mediasoup's tasks.py does: generate the FlatBuffers headers first.
meson compile -C "$WORK/build" flatbuffers-generator >&2
log "compiling with $JOBS jobs"
ninja -C "$WORK/build" -j"$JOBS" mediasoup-worker >&2
install -m 0755 "$WORK/build/mediasoup-worker" "$OUT/mediasoup-worker"
log "done: $OUT/mediasoup-worker"
