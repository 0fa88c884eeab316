#!/usr/bin/env bash
# The one test command (`npm test`, also what CI runs): lint, typecheck, build,
# the Electron security scan, every vitest project (unit, integration with the
# emulator and real SQLite, keychain against a real Secret Service) and the
# Playwright end-to-end suite in Chromium. Ends with one line: N passed, N failed.
set -uo pipefail
cd "$(dirname "$0")/.."

# The keychain tests, the app services and the test host need a Secret
# Service: run everything inside a private D-Bus session with an unlocked
# gnome-keyring, its data in a temp dir.
if [[ -z "${BULK_SELLER_IN_KEYRING:-}" ]]; then
  keyring_home="$(mktemp -d)"
  export XDG_DATA_HOME="$keyring_home" BULK_SELLER_IN_KEYRING=1
  exec dbus-run-session -- bash -c 'echo -n pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec bash tests/run-all.sh'
fi

results=artifacts/test-results
rm -rf "$results" && mkdir -p "$results"
gates_failed=()

gate() {
  local name="$1"; shift
  echo "::: $name"
  if "$@"; then echo "::: $name ok"; else echo "::: $name FAILED"; gates_failed+=("$name"); fi
}

gate lint npx eslint .
gate format npx prettier --check .
gate typecheck npm run --silent typecheck
gate build npx electron-vite build
gate electronegativity node scripts/electronegativity.mjs

echo "::: vitest (unit, integration, keychain)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
vitest_exit=$?

echo "::: playwright (Chromium end-to-end)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npx playwright test --reporter=list,json
playwright_exit=$?

node tests/summarize-results.mjs "$results" "${gates_failed[@]}" | tee "$results/summary.txt"
summary_exit=${PIPESTATUS[0]}
if [[ $vitest_exit -ne 0 || $playwright_exit -ne 0 || $summary_exit -ne 0 || ${#gates_failed[@]} -ne 0 ]]; then exit 1; fi
