#!/usr/bin/env bash
# Installs what tests/editors/test_vscode_real.py needs to run the extension in a real VS Code:
# code-server (VS Code in a browser) from npm, Debian's chromium to drive it headless, and
# puppeteer-core (which uses that system browser and downloads none).
#
# Why not `npm install -g code-server`: as root its postinstall wants --unsafe-perm, and its
# @vscode/ripgrep step downloads ripgrep from outside the package registries, which this project's
# machines cannot reach. So the tarball is installed with --ignore-scripts and what postinstall.sh
# does is done here without downloads: the VS Code dependencies, Debian's rg in place of the
# download, the native modules rebuilt against the installed node headers, postinstall.sh's
# symlinks, the built-in extensions' dependencies.
#
# Idempotent and cached: the install goes to $CUSTODY_CACHE (default ~/.cache/custody) under a
# directory named by the version, outside the clone, and is marked ready only when complete, so
# a later run takes no time and an interrupted one starts over. Cold: ~1.5 min on 2 cores, 630 MB.
#
# Prints, on stdout, KEY=VALUE lines for the test: CODE_SERVER, CHROMIUM, NODE_PATH (for
# puppeteer-core). Everything else goes to stderr. Exit 3: this machine cannot provide a piece
# (the message says which); other non-zero exits are failures.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3          # the newest release that runs on node 20
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${CUSTODY_CACHE:-$HOME/.cache/custody}"
PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CS="$PREFIX/node_modules/code-server"
READY="$PREFIX/.custody-ready"
DEBS=(chromium ripgrep build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)

say() { echo "test-env: $*" >&2; }
cannot() { say "cannot: $*"; exit 3; }
quiet_npm() { npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false npm "$@" >&2; }

command -v node >/dev/null && command -v npm >/dev/null || cannot "node and npm are not installed"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" = 20 ] || cannot "code-server $CODE_SERVER_VERSION needs node 20; this is node $node_major"

# ---- Debian packages ----
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || cannot "Debian packages missing and not root to install them: ${missing[*]}"
  command -v apt-get >/dev/null || cannot "no apt-get to install ${missing[*]}"
  say "apt-get install ${missing[*]}"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >&2 \
    || cannot "apt-get could not install ${missing[*]}"
fi
CHROMIUM="$(command -v chromium || true)"
[ -n "$CHROMIUM" ] || cannot "no chromium after installing it"

# ---- puppeteer-core, from the committed lockfile ----
lock_sum="$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$HERE/node_modules/.custody-lock-sha256" ] || [ "$(cat "$HERE/node_modules/.custody-lock-sha256")" != "$lock_sum" ]; then
  say "npm ci (puppeteer-core)"
  (cd "$HERE" && quiet_npm ci --ignore-scripts --no-audit --no-fund) || cannot "npm ci of puppeteer-core failed (no registry access?)"
  echo "$lock_sum" > "$HERE/node_modules/.custody-lock-sha256"
fi

# ---- code-server ----
if [ ! -f "$READY" ]; then
  start=$SECONDS
  say "installing code-server $CODE_SERVER_VERSION into $PREFIX (once; later runs reuse it)"
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX/pack"
  (cd "$PREFIX/pack" && quiet_npm pack "code-server@$CODE_SERVER_VERSION") || cannot "npm pack code-server failed (no registry access?)"
  echo '{"name": "custody-code-server", "private": true}' > "$PREFIX/package.json"
  (cd "$PREFIX" && quiet_npm install --ignore-scripts --omit=dev --no-audit --no-fund "./pack/code-server-$CODE_SERVER_VERSION.tgz")
  (cd "$CS/lib/vscode" && quiet_npm install --omit=dev --ignore-scripts --no-audit --no-fund)
  # @vscode/ripgrep's install step would download rg; Debian's is the same program
  mkdir -p "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin"
  ln -sf "$(command -v rg)" "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  # native modules, built against the installed node's headers (no header download); node-pty's
  # post-install runs `npx node-gyp`, which must be allowed to fetch node-gyp from the registry
  (cd "$CS/lib/vscode" && npm_config_nodedir=/usr npm_config_yes=true quiet_npm rebuild \
      kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog node-pty)
  (cd "$PREFIX" && npm_config_nodedir=/usr quiet_npm rebuild argon2)
  # postinstall.sh's symlinks
  (cd "$CS/lib/vscode" && rm -rf node_modules.asar && ln -s node_modules node_modules.asar \
     && (cd bin/remote-cli && rm -rf code-server && ln -s code-linux.sh code-server) \
     && (cd bin/helpers && rm -rf browser.sh && ln -s browser-linux.sh browser.sh))
  # its own postinstall (postinstall.mjs) only prunes typescript's files: no download
  (cd "$CS/lib/vscode/extensions" && quiet_npm install --omit=dev --no-audit --no-fund)
  rm -rf "$PREFIX/pack"
  touch "$READY"
  say "code-server installed in $((SECONDS - start)) s"
fi

echo "CODE_SERVER=$CS/out/node/entry.js"
echo "CHROMIUM=$CHROMIUM"
echo "NODE_PATH=$HERE/node_modules"
