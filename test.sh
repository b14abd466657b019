#!/usr/bin/env bash
# The one test command: ./test.sh  (CI: `CI=true ./test.sh`, which .ci/run calls).
#
# On a fresh Debian 12 machine with the .NET 10 SDK and Node 20 it installs what the tests need when missing
# (Chromium + driver, ipfs-cid, the PostgreSQL server tools; the npm packages of contracts/ and
# wwwroot-js-interop/; the local dotnet tools), builds with warnings as errors, runs the checks (migrations, Solidity
# lint, ABI exports, coverage threshold, deploy to a throwaway anvil, built wallet module) and every test layer once,
# then prints how many tests ran per layer. Idempotent: a second run installs nothing.
# Under CI=true a skipped .NET test (missing PostgreSQL, Chromium, ...) is a failure. Exit status 0 only if all passed.
# Artifacts: TestResults/ (TRX, screenshots, step logs, the E2E app log).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

results="$root/TestResults"
logs="$results/logs"
trx_name="neurodata.trx"
started=$SECONDS

if [[ -n "${CI:-}" ]]; then
  export CI
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NEURODATA_TEST_RESULTS="$results"

# Fresh artifacts for this run (TRX, its attachment folders, screenshots, logs).
rm -rf "$results"
mkdir -p "$logs"

check_names=()
check_results=()
failures=()

say() {
  if [[ -t 1 ]]; then printf '\n\033[1m==> %s\033[0m\n' "$*"; else printf '\n==> %s\n' "$*"; fi
}

# run_check NAME LOGFILE CMD...: runs CMD, output to the console and LOGFILE, and records the outcome and time.
run_check() {
  local name="$1" log="$2"
  shift 2
  say "$name"
  local t0=$SECONDS status=0
  "$@" 2>&1 | tee "$log" || status=$?
  local secs=$((SECONDS - t0))
  check_names+=("$name")
  if [[ $status -eq 0 ]]; then
    check_results+=("ok      ${secs}s")
  else
    check_results+=("FAILED  ${secs}s (exit $status, log: ${log#"$root"/})")
    failures+=("$name")
  fi
  return $status
}

skip_check() {
  check_names+=("$1")
  check_results+=("skipped ($2)")
  failures+=("$1 (not run: $2)")
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "test.sh: '$*' needs root (or sudo) to install missing system packages" >&2
    return 1
  fi
}

# --- System packages ------------------------------------------------------------------------------------------
find_pg_bindir() {
  local initdb
  if initdb="$(command -v initdb 2>/dev/null)" && [[ -n "$initdb" ]]; then
    dirname "$(readlink -f "$initdb")"
    return 0
  fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    echo "$dir"
    return 0
  fi
  return 1
}

install_system_packages() {
  local packages=()
  [[ -x /usr/bin/chromium ]] || packages+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || packages+=(chromium-driver)
  command -v ipfs_cid >/dev/null 2>&1 || packages+=(ipfs-cid)
  find_pg_bindir >/dev/null || packages+=(postgresql)
  if [[ ${#packages[@]} -eq 0 ]]; then
    echo "chromium, chromium-driver, ipfs-cid and the PostgreSQL server tools are present; nothing to install"
    return 0
  fi
  echo "installing: ${packages[*]}"
  # (explicit returns: `set -e` does not apply inside a function run as part of a condition)
  as_root apt-get update -qq || return 1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${packages[@]}" || return 1
}

say "Environment"
echo "dotnet $(dotnet --version), node $(node --version), npm $(npm --version), CI=${CI:-<unset>}"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" -lt 20 ]]; then
  echo "test.sh: Node.js 20 or newer is required (found $(node --version))" >&2
  exit 1
fi

run_check "Install system packages" "$logs/install-system.log" install_system_packages || true
if pg_bindir="$(find_pg_bindir)"; then
  export NEURODATA_PG_BINDIR="$pg_bindir"
  echo "PostgreSQL server tools: $NEURODATA_PG_BINDIR"
else
  echo "PostgreSQL server tools not found: the PostgreSQL tests will fail (CI) or be skipped" >&2
fi

# --- npm installs (only when node_modules is missing or package-lock.json changed) ------------------------------
npm_install() {
  local dir="$1" stamp="$1/node_modules/.neurodata-lock.sha256" want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "$dir/node_modules matches package-lock.json; npm ci not needed"
    return 0
  fi
  (cd "$dir" && npm ci --no-audit --no-fund) || return 1
  echo "$want" >"$stamp"
}

# --- .NET build and checks ---------------------------------------------------------------------------------------
build_ok=0
run_check "dotnet tool restore" "$logs/tool-restore.log" dotnet tool restore || true
if run_check "Build (Release, warnings as errors)" "$logs/build.log" \
  dotnet build NeuroData.sln -c Release --nologo -p:TreatWarningsAsErrors=true; then
  build_ok=1
fi
run_check "Migrations match the model (SQLite, PostgreSQL)" "$logs/migrations.log" scripts/check-migrations.sh || true

# --- Contracts: lint, exports, tests with coverage, property tests, deploy to anvil -----------------------------
# `npm run coverage` runs every unit suite (instrumented) and checks the coverage threshold; it leaves out the
# @property suite (contracts/.solcover.js), which runs once on its own. So every contract test runs exactly once and
# `npm test` (both again) is not needed.
if run_check "Contracts: npm ci" "$logs/contracts-npm-ci.log" npm_install contracts; then
  run_check "Contracts: solhint" "$logs/contracts-lint.log" npm --prefix contracts run lint || true
  run_check "Contracts: ABI exports up to date" "$logs/contracts-exports.log" npm --prefix contracts run check:exports || true
  run_check "Contracts: tests with coverage (unit suites)" "$logs/contracts-coverage.log" npm --prefix contracts run coverage || true
  run_check "Contracts: property tests" "$logs/contracts-property.log" \
    bash -c 'cd contracts && npx hardhat test --grep @property' || true
  run_check "Contracts: deploy to a throwaway anvil" "$logs/contracts-deploy.log" npm --prefix contracts run deploy:anvil || true
else
  skip_check "Contracts: tests" "npm ci failed"
fi

# --- Wallet interop module --------------------------------------------------------------------------------------
if run_check "JS interop: npm ci" "$logs/js-npm-ci.log" npm_install wwwroot-js-interop; then
  run_check "JS interop: tests" "$logs/js-test.log" npm --prefix wwwroot-js-interop test || true
  run_check "JS interop: built module up to date" "$logs/js-build.log" npm --prefix wwwroot-js-interop run check:build || true
else
  skip_check "JS interop: tests" "npm ci failed"
fi

# --- .NET tests: Unit, Components, Integration (SQLite + PostgreSQL), E2E (Chromium) ------------------------------
if [[ $build_ok -eq 1 ]]; then
  run_check ".NET tests (Unit, Components, Integration, E2E)" "$logs/dotnet-test.log" \
    dotnet test NeuroData.Tests -c Release --no-build --nologo \
    --logger "trx;LogFileName=$trx_name" --logger "console;verbosity=normal" --results-directory "$results" || true
else
  skip_check ".NET tests" "the build failed"
fi

# --- Summary ------------------------------------------------------------------------------------------------------
# Mocha ("N passing / N pending / N failing") and node:test TAP ("# pass N") counts from the step logs.
mocha_count() { # LOG WORD
  [[ -f "$1" ]] || { echo 0; return; }
  grep -Eo "^[[:space:]]*[0-9]+ $2" "$1" | tail -n 1 | grep -Eo '[0-9]+' || echo 0
}
tap_count() { # LOG WORD
  [[ -f "$1" ]] || { echo 0; return; }
  grep -Eo "^# $2 [0-9]+" "$1" | tail -n 1 | grep -Eo '[0-9]+' || echo 0
}
contracts_passed=$(($(mocha_count "$logs/contracts-coverage.log" passing) + $(mocha_count "$logs/contracts-property.log" passing)))
contracts_failed=$(($(mocha_count "$logs/contracts-coverage.log" failing) + $(mocha_count "$logs/contracts-property.log" failing)))
contracts_skipped=$(($(mocha_count "$logs/contracts-coverage.log" pending) + $(mocha_count "$logs/contracts-property.log" pending)))
js_passed=$(tap_count "$logs/js-test.log" pass)
js_failed=$(($(tap_count "$logs/js-test.log" fail) + $(tap_count "$logs/js-test.log" cancelled)))
js_skipped=$(($(tap_count "$logs/js-test.log" skipped) + $(tap_count "$logs/js-test.log" todo)))

say "Checks"
for i in "${!check_names[@]}"; do
  printf '  %-52s %s\n' "${check_names[$i]}" "${check_results[$i]}"
done
total_secs=$((SECONDS - started))
printf '  %-52s %dm%02ds\n' "Total time" $((total_secs / 60)) $((total_secs % 60))
if [[ ${#failures[@]} -gt 0 ]]; then
  echo
  echo "FAILED checks: $(IFS=';'; echo "${failures[*]}")"
fi

say "Tests"
summary_status=0
node scripts/test-summary.mjs \
  --layer "Contracts=$contracts_passed,$contracts_failed,$contracts_skipped" \
  --layer "JS interop=$js_passed,$js_failed,$js_skipped" \
  --trx "$results/$trx_name" \
  ${CI:+--ci "$CI"} || summary_status=$?

if [[ ${#failures[@]} -gt 0 || $summary_status -ne 0 ]]; then
  exit 1
fi
