#!/usr/bin/env bash
# Build what the web application needs beside Python. Idempotent; safe to re-run.
#   1. system packages, only when missing and only as root: chromium (browser tests), gettext (msgfmt)
#   2. npm packages from package-lock.json: nhsuk-frontend, axe-core, sass
#   3. NHS.UK frontend into Django static (src/imsk/web/static/vendor/nhsuk/, never committed):
#      the stylesheet compiled from its SCSS (no web font, local images), its JavaScript and images
#   4. the Welsh message catalogue compiled (locale/cy/LC_MESSAGES/django.mo, never committed)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

say() { printf 'setup-web: %s\n' "$*"; }

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" \
      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; }
  else
    say "warning: ${missing[*]} missing and not root: install them (browser tests need /usr/bin/chromium," \
      "the Welsh catalogue needs msgfmt from gettext)" >&2
  fi
fi

# npm ci only when the lock file changed since the last install.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

web=src/imsk/web
vendor=$web/static/vendor/nhsuk
dist=node_modules/nhsuk-frontend/dist/nhsuk
mkdir -p "$vendor"
say "compiling the NHS.UK frontend stylesheet into $vendor"
node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
  "$web/assets/imsk.scss" "$vendor/nhsuk.min.css"
cp "$dist/nhsuk-frontend.min.js" "$vendor/nhsuk-frontend.min.js"
rm -rf "$vendor/assets"
cp -R "$dist/assets" "$vendor/assets"

if command -v msgfmt >/dev/null; then
  say "compiling the Welsh catalogue"
  (cd "$web" && "$root/.venv/bin/django-admin" compilemessages --locale cy -v 0)
else
  say "warning: msgfmt missing, Welsh catalogue not compiled (apt-get install gettext)" >&2
fi
say "done"
