#!/usr/bin/env bash
# Sets up coturn (Debian's) as Lajna's TURN server for members whose network passes only
# TLS on 443 (office proxies, UDP blocked). Run as root on the TURN host:
#   TURN_SECRET=<the same secret as Lajna's TURN_SECRET> TURN_HOST=turn.example.tn \
#   TURN_CERT=/etc/letsencrypt/live/turn.example.tn/fullchain.pem \
#   TURN_KEY=/etc/letsencrypt/live/turn.example.tn/privkey.pem bash scripts/turn-setup.sh
# Then give Lajna TURN_URLS=turns:turn.example.tn:443?transport=tcp and TURN_SECRET.
# Credentials are Lajna's (TURN REST shared secret): coturn checks them without a user list.
set -euo pipefail
: "${TURN_SECRET:?the shared secret, at least 16 characters}" "${TURN_HOST:?the public name of the TURN server}"
: "${TURN_CERT:?certificate chain (PEM)}" "${TURN_KEY:?private key (PEM)}"
[[ ${#TURN_SECRET} -ge 16 ]] || { echo "TURN_SECRET: at least 16 characters" >&2; exit 2; }
TURN_PORT=${TURN_PORT:-443}
export DEBIAN_FRONTEND=noninteractive
dpkg-query -W -f='${Status}' coturn 2>/dev/null | grep -q "install ok installed" || apt-get -y -qq install coturn
install -m 0640 -o root -g turnserver /dev/stdin /etc/turnserver.conf <<CONF
# Written by Lajna's scripts/turn-setup.sh
realm=${TURN_HOST}
server-name=${TURN_HOST}
use-auth-secret
static-auth-secret=${TURN_SECRET}
# TLS only: plain UDP and TCP listeners off; relays towards the SFU over UDP from this host.
tls-listening-port=${TURN_PORT}
no-udp
no-tcp
no-dtls
cert=${TURN_CERT}
pkey=${TURN_KEY}
no-tlsv1
no-tlsv1_1
min-port=49152
max-port=65535
# No relaying into this host's loopback or private networks other than the SFU's.
no-multicast-peers
denied-peer-ip=0.0.0.0-0.255.255.255
denied-peer-ip=127.0.0.0-127.255.255.255
no-cli
fingerprint
CONF
# Port 443 without running as root.
setcap cap_net_bind_service=+ep "$(command -v turnserver)"
sed -i 's/^#\?TURNSERVER_ENABLED=.*/TURNSERVER_ENABLED=1/' /etc/default/coturn 2>/dev/null || true
systemctl enable --now coturn
systemctl restart coturn
echo "coturn listening on ${TURN_HOST}:${TURN_PORT} (TLS); set TURN_URLS=turns:${TURN_HOST}:${TURN_PORT}?transport=tcp in Lajna"
