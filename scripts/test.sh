#!/usr/bin/env bash
# The test command: set up (or bring up to date) what the tests need, then run pytest.
#
#   bash scripts/test.sh [pytest arguments]
#
# On a fresh Debian machine with Python 3.11 and node/npm it creates .venv,
# installs the portal with its test extras, Debian's chromium (as root) and
# axe-core (npm ci), so the browser tests run too. A second run skips the
# steps whose inputs did not change. PORTAL_TEST_DATABASE_URL runs the suite
# on PostgreSQL instead of SQLite.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
venv="$root/.venv"
chromium=/usr/bin/chromium

say() { printf 'test.sh: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}

digest() { cat "$@" | sha256sum | cut -d' ' -f1; }

# --- Python: .venv with the portal installed in editable mode -------------------
# The code itself is linked (editable), so only pyproject.toml, the interpreter
# and the checkout's place decide whether pip must run again.
command -v python3 >/dev/null || die "python3 is not installed."
if [ ! -x "$venv/bin/python" ]; then
	say "creating .venv"
	python3 -m venv "$venv" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)."
fi
python_version="$("$venv/bin/python" -c 'import sys; print(sys.version)')"
want="$(printf '%s\n%s\n%s\n' "$(digest pyproject.toml)" "$python_version" "$root" | sha256sum | cut -d' ' -f1)"
stamp="$venv/.portal-installed"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	say "installing the portal and its test dependencies into .venv"
	"$venv/bin/python" -m pip install -qq --disable-pip-version-check -e '.[test]'
	echo "$want" >"$stamp"
fi

# --- Debian packages: chromium (Playwright cannot download its own here),
# poppler-utils (pdftotext/pdftoppm read the printed PDF back in the tests), and the
# printout's TrueType fonts (portal/records/fonts.py): DejaVu Sans for Vietnamese,
# WenQuanYi Zen Hei for Chinese and Korean ---------------------------------------
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "${PORTAL_NO_BROWSER:-}" = "1" ] && [ "${CI:-}" != "true" ]; then
		say "PORTAL_NO_BROWSER=1: not installing ${missing[*]}; the tests that need them will be skipped."
	elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
		say "installing Debian's ${missing[*]} (apt-get)"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq "${missing[@]}" >/dev/null
		[ -x "$chromium" ] || die "apt-get installed chromium but $chromium is still missing."
		command -v pdftoppm >/dev/null || die "apt-get installed poppler-utils but pdftoppm is still missing."
	else
		die "${missing[*]} missing and cannot be installed here (needs root and apt-get).
  Install with: sudo apt-get install ${missing[*]}
  or run without the browser tests: PORTAL_NO_BROWSER=1 bash scripts/test.sh"
	fi
fi

# --- axe-core, for the accessibility checks in tests/browser -------------------
axe="$root/node_modules/axe-core/axe.min.js"
npm_stamp="$root/node_modules/.portal-installed"
npm_want="$(digest package-lock.json)"
if [ ! -f "$axe" ] || [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_want" ]; then
	if command -v npm >/dev/null; then
		say "installing axe-core (npm ci)"
		npm ci --silent --no-audit --no-fund
		echo "$npm_want" >"$npm_stamp"
	elif [ "${PORTAL_NO_BROWSER:-}" = "1" ] && [ "${CI:-}" != "true" ]; then
		say "npm is missing; the browser tests will be skipped."
	else
		die "npm is missing, so axe-core cannot be installed (on Debian: apt-get install npm)."
	fi
fi

exec "$venv/bin/pytest" "$@"
