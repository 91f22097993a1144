#!/usr/bin/env bash
# textpipe under Spark: the docs/spark.md recipe on this machine, checked.
#
#   scripts/spark_check.sh                # 20,000 documents on local[2]
#   DOCUMENTS=2000 scripts/spark_check.sh # a quicker look
#
# Builds the release binary, installs pyspark from PyPI into a virtualenv (kept between runs
# in $SPARK_VENV, by default ~/.cache/textpipe/spark-venv), uses the system Java (17 or newer
# on PATH or in JAVA_HOME), generates the corpus and runs scripts/spark_check.py, which fails
# unless the Spark output sorted by id is byte-identical to a single-process run, every poison
# document is an error record and no task failed. `.ci/run` runs this when TEXTPIPE_SPARK=1.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

if ! command -v java > /dev/null && [[ -z "${JAVA_HOME:-}" ]]; then
  echo "spark_check: no Java found (install a JDK 17, e.g. apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi

cargo build --release --quiet --bin textpipe
binary="$(cd "${CARGO_TARGET_DIR:-target}/release" && pwd)/textpipe"

venv="${SPARK_VENV:-$HOME/.cache/textpipe/spark-venv}"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import pyspark" 2> /dev/null; then
  "$venv/bin/pip" install --quiet "pyspark>=3.5"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The driver and the Python workers must be the same interpreter: the virtualenv's.
export PYSPARK_PYTHON="$venv/bin/python" PYSPARK_DRIVER_PYTHON="$venv/bin/python"
"$venv/bin/python" scripts/spark_check.py "$binary" "$work" --documents "${DOCUMENTS:-20000}"
echo "spark_check: passed in $(( $(date +%s) - started )) s (build and install included)"
