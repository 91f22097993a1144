#!/usr/bin/env bash
# Builds the Python package in the dev profile into a virtualenv under the cargo target dir
# and runs its tests. Run after `cargo test --workspace`: the extension reuses the
# dependencies that build compiled. Exits non-zero on any failure, and when no test ran.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/python-venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
# Pinned so a run today and a run next year build and test the same way. The large
# optional libraries of the adapters (datasets, datatrove) are not installed: their tests
# skip with a notice unless the environment already has them.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "maturin==1.16.0" "pytest==9.2.0"

# The tests compare against the command line's output. scripts/test.sh passes the binary
# that `cargo test --workspace` just built; building it here with `-p textpipe` would resolve
# dependency features differently and recompile the workspace.
if [ -z "${TEXTPIPE_CLI:-}" ]; then
    (cd "$root" && cargo build --quiet -p textpipe --bin textpipe)
    export TEXTPIPE_CLI="$target/debug/textpipe"
fi

cd "$root/crates/python"
CARGO_TARGET_DIR="$target" VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" \
    "$venv/bin/maturin" develop --quiet

status=0
"$venv/bin/python" -m pytest -q -rs tests "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "test_python.sh: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
