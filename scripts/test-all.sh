#!/usr/bin/env bash
# Runs every test of Custodian on a fresh machine: formatting, lints, the policy check, the
# OpenAPI drift check, and the whole test suite twice — on SQLite and on a real PostgreSQL that
# this script installs (from Debian's packages, when missing) and starts on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
started=$(date +%s)

if ! command -v cargo >/dev/null; then
  echo "cargo is not installed: install Rust from your distribution or rustup first" >&2
  exit 1
fi
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  step "installing rustfmt and clippy"
  rustup component add rustfmt clippy
fi
if ! command -v python3 >/dev/null; then
  step "installing python3 (used to pick free ports)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3
fi

# Browser tests drive Debian's Chromium (headless); CJK fonts so that Chinese pages render.
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then
  step "installing Chromium and CJK fonts (browser tests)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig
fi
export CUSTODIAN_CHROMIUM="${CUSTODIAN_CHROMIUM:-$(command -v chromium)}"

# The sign-in test drives that Chromium with Playwright (tests/browser, pinned in its lock file).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  step "installing Node.js and npm (browser tests)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
step "installing Playwright (tests/browser)"
(cd tests/browser && npm ci --no-audit --no-fund)

runner=(cargo test --workspace --no-fail-fast)
if cargo nextest --version >/dev/null 2>&1; then
  runner=(cargo nextest run --workspace --no-fail-fast --failure-output final)
fi

step "format"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "build"
cargo build --workspace --all-targets --locked

step "policy check (the seeds' policy)"
./target/debug/custodian policy check --policy policies/messagebird

step "OpenAPI drift (openapi.json must match the code)"
if ! diff -u openapi.json <(./target/debug/custodian openapi); then
  echo "openapi.json is stale: run ./target/debug/custodian openapi > openapi.json" >&2
  exit 1
fi

step "tests on SQLite"
CUSTODIAN_TEST_BACKEND=sqlite "${runner[@]}"

step "starting PostgreSQL"
eval "$(scripts/postgres-up.sh)"
cleanup() {
  if [ -n "${CUSTODIAN_PG_STOP:-}" ]; then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- $CUSTODIAN_PG_STOP >/dev/null 2>&1 || true
    else $CUSTODIAN_PG_STOP >/dev/null 2>&1 || true; fi
    rm -rf "${CUSTODIAN_PG_DIR:-/nonexistent}"
  fi
}
trap cleanup EXIT

step "tests on PostgreSQL"
CUSTODIAN_TEST_BACKEND=postgres "${runner[@]}"

step "all checks passed in $(( $(date +%s) - started )) s"
