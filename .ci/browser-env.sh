# What both browser checks need, sourced by .ci/browser.sh (the HTML report) and
# .ci/dashboard.sh (the dashboard) from the repository root: Node.js 20 or later with
# npm (the machine's own, as Debian's nodejs is older than playwright-core's floor),
# Chromium (/usr/bin/chromium, or CHROMIUM=path), pdftotext, curl, the DejaVu and
# Liberation fonts (the chips' shapes, and Arial's metrics), the pinned npm packages
# of .ci/browser/package-lock.json installed into target/browser (again only when the
# lock file changes), and a debug build of ragplan. Under CI=true, as root with
# apt-get, the Debian packages are installed when missing; otherwise a missing one is
# an error naming it. Sets root, chromium, modules (the node_modules folder) and
# ragplan.

root="$(pwd)"

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [[ "$node_major" -lt 20 ]] || ! command -v npm >/dev/null; then
  echo "error: the browser checks need Node.js 20 or later with npm (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 2
fi

chromium="${CHROMIUM:-/usr/bin/chromium}"
missing=()
[[ -x "$chromium" ]] || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v curl >/dev/null || missing+=(curl)
command -v fc-list >/dev/null || missing+=(fontconfig)
fonts="$(fc-list : file 2>/dev/null || true)"
[[ "$fonts" == *DejaVuSans.ttf* ]] || missing+=(fonts-dejavu-core)
[[ "$fonts" == *LiberationSans-Regular.ttf* ]] || missing+=(fonts-liberation)
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ "${CI:-}" == "true" ]] && command -v apt-get >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  else
    echo "error: the browser checks need ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 2
  fi
fi

modules_dir="${BROWSER_MODULES:-target/browser}"
[[ "$modules_dir" == /* ]] || modules_dir="$root/$modules_dir"
mkdir -p "$modules_dir"
if ! cmp -s .ci/browser/package-lock.json "$modules_dir/package-lock.json" \
  || [[ ! -d "$modules_dir/node_modules/playwright-core" ]]; then
  cp .ci/browser/package.json .ci/browser/package-lock.json "$modules_dir/"
  (cd "$modules_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
modules="$modules_dir/node_modules"

cargo build --locked --bin ragplan
target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" == /* ]] || target_dir="$root/$target_dir"
ragplan="$target_dir/debug/ragplan"
