"""Shared fixtures: the default pipeline (built once) and the `textpipe` command line."""

import os
import pathlib

import pytest

import textpipe

CHECKOUT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def nlp():
    return textpipe.Pipeline()


@pytest.fixture(scope="session")
def cli():
    """The `textpipe` binary: $TEXTPIPE_CLI (scripts/test_python.sh builds it), else the
    newest one in the cargo target dir."""
    explicit = os.environ.get("TEXTPIPE_CLI")
    if explicit:
        return explicit
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", CHECKOUT / "target"))
    candidates = [p for p in (target / "debug" / "textpipe", target / "release" / "textpipe") if p.exists()]
    if not candidates:
        if os.environ.get("CI") == "true":
            pytest.fail("no textpipe binary: run `cargo build` first")
        print("NOTICE: no textpipe binary in the target dir; CLI comparison skipped")
        pytest.skip("no textpipe binary")
    return str(max(candidates, key=lambda p: p.stat().st_mtime))
