#!/usr/bin/env bash
# The whole test suite: every Rust crate (unit, end-to-end and doc tests), then the Python
# package built from this checkout and its pytest suite. This is the project's one test
# command; CI runs it after the format and lint checks.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace
# The integration tests built the binary; the Python tests compare against it.
TEXTPIPE_CLI="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/debug/textpipe" scripts/test_python.sh
