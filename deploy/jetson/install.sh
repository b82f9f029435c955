#!/usr/bin/env bash
# Installs Edge as a systemd service on a Jetson (run as root on the device):
#   sudo deploy/jetson/install.sh [--publish DIR] [--natives DIR] [--models DIR] [--no-start] [--destdir DIR]
#     --publish  output of `dotnet publish src/Edge.Cli -p:PublishProfile=linux-arm64 -p:EdgeGpu=true`
#                (default out/publish/linux-arm64-gpu; copy it over from the build machine)
#     --natives  libonnxruntime*.so and libOpenCvSharpExtern.so from build-*.sh (default deploy/jetson/out/lib)
#     --models   folder of *.onnx (+ manifest.json) copied to /var/lib/edge/models
#     --no-start install and enable, but do not start now
#     --destdir  install under DIR instead of / and skip useradd/chown/systemctl (packaging, tests)
# Layout: /opt/edge (app + natives, previous version kept in /opt/edge.prev), /etc/edge (edge.env,
# appsettings.Jetson.json, kept on upgrade), /var/lib/edge (models, runs), /var/cache/edge (TensorRT engines),
# /etc/systemd/system/edge.service. Roll back: sudo mv /opt/edge /opt/edge.bad && sudo mv /opt/edge.prev /opt/edge.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
publish="$root/out/publish/linux-arm64-gpu"
natives="$here/out/lib"
models=""
start=1
destdir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --publish) publish="$2"; shift 2 ;;
    --natives) natives="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --no-start) start=0; shift ;;
    --destdir) destdir="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
fail() { echo "install.sh: $*" >&2; exit 1; }
step() { echo "install.sh: $*" >&2; }
live() { [[ -z "$destdir" ]]; }

[[ -f "$publish/edge.dll" ]] || fail "$publish/edge.dll not found: publish first (deploy/jetson/publish.sh gpu) or pass --publish DIR"
[[ -f "$publish/libonnxruntime.so" ]] && fail "$publish has NuGet's CPU libonnxruntime.so: publish with -p:EdgeGpu=true"
[[ -e "$natives/libonnxruntime.so" ]] || fail "$natives/libonnxruntime.so not found: run deploy/jetson/build-onnxruntime.sh on the device or pass --natives DIR"
[[ -f "$natives/libonnxruntime_providers_tensorrt.so" ]] || fail "$natives has no libonnxruntime_providers_tensorrt.so: that ONNX Runtime was built without --use_tensorrt"
[[ -f "$natives/libOpenCvSharpExtern.so" ]] || fail "$natives/libOpenCvSharpExtern.so not found: run deploy/jetson/build-opencvsharp.sh on the device"
if live; then
  [[ $EUID -eq 0 ]] || fail "run as root (sudo), or use --destdir"
  [[ "$(uname -m)" == aarch64 ]] || fail "this is $(uname -m); the service is for the Jetson (aarch64)"
  dotnet_bin="$(command -v dotnet || true)"
  if [[ -z "$dotnet_bin" ]] || ! "$dotnet_bin" --list-runtimes | grep -q '^Microsoft.NETCore.App 10\.'; then
    fail ".NET 10 runtime missing: curl -sSL https://dot.net/v1/dotnet-install.sh | sudo bash -s -- --channel 10.0 --runtime dotnet --install-dir /usr/share/dotnet && sudo ln -sf /usr/share/dotnet/dotnet /usr/bin/dotnet"
  fi
fi

app="$destdir/opt/edge"
etc="$destdir/etc/edge"
state="$destdir/var/lib/edge"
cache="$destdir/var/cache/edge"
unit_dir="$destdir/etc/systemd/system"

if live && ! id edge >/dev/null 2>&1; then
  step "creating system user edge"
  useradd --system --home-dir /var/lib/edge --no-create-home --shell /usr/sbin/nologin --user-group edge
fi
if live; then
  for g in video render; do
    getent group "$g" >/dev/null && usermod -aG "$g" edge
  done
fi

step "installing $publish + $natives -> $app"
rm -rf "$app.new"
mkdir -p "$app.new/docs"
cp -a "$publish"/. "$app.new/"
cp -a "$natives"/. "$app.new/"
cp "$root/docs/jetson.md" "$app.new/docs/" 2>/dev/null || true
chmod 0755 "$app.new/edge"
if [[ -d "$app" ]]; then
  rm -rf "$app.prev"
  mv "$app" "$app.prev"
fi
mv "$app.new" "$app"

step "configuration in $etc (existing files are kept; new defaults land as *.new)"
mkdir -p "$etc"
for f in edge.env appsettings.Jetson.json; do
  if [[ -f "$etc/$f" ]] && ! cmp -s "$here/$f" "$etc/$f"; then
    cp "$here/$f" "$etc/$f.new"
  else
    cp "$here/$f" "$etc/$f"
  fi
done
chmod 0640 "$etc/edge.env" "$etc/appsettings.Jetson.json"
# The web view binds beyond loopback, so `edge run` needs a control token: generate one on first install only.
if grep -q '^Edge__Web__Token=$' "$etc/edge.env"; then
  token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  sed -i "s/^Edge__Web__Token=\$/Edge__Web__Token=$token/" "$etc/edge.env"
  step "generated Edge__Web__Token in $etc/edge.env (needed for follow/release from the network)"
fi

mkdir -p "$state/models" "$state/runs" "$cache/tensorrt"
if [[ -n "$models" ]]; then
  step "models $models -> $state/models"
  cp "$models"/*.onnx "$state/models/"
  [[ -f "$models/manifest.json" ]] && cp "$models/manifest.json" "$state/models/"
fi

mkdir -p "$unit_dir"
cp "$here/edge.service" "$unit_dir/edge.service"
chmod 0644 "$unit_dir/edge.service"

if ! live; then
  step "done under $destdir (no user, owners or systemctl with --destdir)"
  exit 0
fi

chown -R root:root "$app"
chown root:edge "$etc/edge.env" "$etc/appsettings.Jetson.json"
chown -R edge:edge "$state" "$cache"

step "self-check: edge doctor as user edge"
# Same user, groups and environment file as the unit (edge.env is plain KEY=value, so the shell can read it).
# shellcheck disable=SC2016 # expanded by the inner shell
if ! runuser -u edge -- bash -c 'set -a; source /etc/edge/edge.env; set +a; exec /opt/edge/edge doctor --config "$EDGE_CONFIG"'; then
  fail "edge doctor failed (above); fix that, then: sudo systemctl enable --now edge"
fi

systemctl daemon-reload
systemctl enable edge.service
if [[ $start -eq 1 ]]; then
  systemctl restart edge.service
  step "started; follow it with: journalctl -u edge -f"
else
  step "enabled; start with: sudo systemctl start edge"
fi
