#!/usr/bin/env bash
# Installs MyFSIO as a systemd service: a dedicated user, data and log directories, an env
# file with a generated SECRET_KEY, and the unit. Run as root from a built checkout
# (npm install && npm run build). Options override the defaults below; -y skips the prompt.
set -euo pipefail

INSTALL_DIR=/opt/myfsio
DATA_DIR=/var/lib/myfsio
LOG_DIR=/var/log/myfsio
API_URL=http://127.0.0.1:5000
SERVICE_USER=myfsio
ASSUME_YES=0
SRC_DIR=$(cd "$(dirname "$0")/.." && pwd)

usage() { echo "usage: $0 [--install-dir DIR] [--data-dir DIR] [--log-dir DIR] [--api-url URL] [--user NAME] [-y]"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --install-dir) INSTALL_DIR=$2; shift 2 ;;
    --data-dir) DATA_DIR=$2; shift 2 ;;
    --log-dir) LOG_DIR=$2; shift 2 ;;
    --api-url) API_URL=$2; shift 2 ;;
    --user) SERVICE_USER=$2; shift 2 ;;
    -y|--yes) ASSUME_YES=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 1 ;;
  esac
done

[ "$(id -u)" = 0 ] || { echo "install.sh must run as root" >&2; exit 1; }
[ -d "$SRC_DIR/dist" ] || { echo "build first: npm install && npm run build" >&2; exit 1; }
if [ "$ASSUME_YES" != 1 ]; then
  read -r -p "Install MyFSIO to $INSTALL_DIR (data $DATA_DIR, logs $LOG_DIR, user $SERVICE_USER)? [y/N] " answer
  [ "$answer" = y ] || [ "$answer" = Y ] || exit 1
fi

id "$SERVICE_USER" >/dev/null 2>&1 || useradd --system --home-dir "$INSTALL_DIR" --shell /usr/sbin/nologin "$SERVICE_USER"
install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0750 "$INSTALL_DIR" "$DATA_DIR" "$LOG_DIR"
cp -r "$SRC_DIR/dist" "$SRC_DIR/bin" "$SRC_DIR/node_modules" "$SRC_DIR/package.json" "$INSTALL_DIR/"
chown -R "$SERVICE_USER:$SERVICE_USER" "$INSTALL_DIR"

ENV_FILE="$INSTALL_DIR/myfsio.env"
if [ ! -f "$ENV_FILE" ]; then
  umask 077
  cat > "$ENV_FILE" <<CONF
STORAGE_ROOT=$DATA_DIR
LOG_DIR=$LOG_DIR
API_BASE_URL=$API_URL
SECRET_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
NODE_ENV=production
CONF
  chown "$SERVICE_USER:$SERVICE_USER" "$ENV_FILE"
  chmod 0600 "$ENV_FILE"
fi

sed -e "s#/opt/myfsio#$INSTALL_DIR#g" -e "s#/var/lib/myfsio#$DATA_DIR#g" -e "s#/var/log/myfsio#$LOG_DIR#g" \
  -e "s#^User=.*#User=$SERVICE_USER#" -e "s#^Group=.*#Group=$SERVICE_USER#" \
  "$SRC_DIR/deploy/myfsio.service" > /etc/systemd/system/myfsio.service
systemctl daemon-reload
echo "Installed. Start with: systemctl enable --now myfsio; the admin credentials are printed in: journalctl -u myfsio"
