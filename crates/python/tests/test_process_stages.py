"""Process stages and extended pipelines work from Python as from the command line, and the
stage SDK ships inside the package."""

import json
import subprocess
import sys

import textpipe
from conftest import CHECKOUT

QUOTES = CHECKOUT / "plugins" / "quotes-python" / "quotes.py"
TEXT = 'Mayor Anna Lindqvist said: "We will build the wall this year." The council agreed.'


def quotes_pipeline():
    # The default pipeline, then the Python quotes stage as its own process.
    return {
        "name": "default-with-quotes",
        "extends": "default",
        "stages": [{"stage": "quotes", "command": [sys.executable, str(QUOTES)], "timeout": 30}],
    }


def test_a_process_stage_runs_after_the_default_stages():
    nlp = textpipe.Pipeline.from_dict(quotes_pipeline())
    assert nlp.stages[: len(textpipe.Pipeline().stages)] == textpipe.Pipeline().stages
    assert nlp.stages[-1] == "quotes"
    docs = list(nlp.pipe([TEXT, {"id": "b", "text": "No quotation here."}], threads=2))
    quotes = docs[0].ext["quotes"]
    assert [q["text"] for q in quotes] == ["We will build the wall this year."]
    assert "Anna Lindqvist" in quotes[0]["speaker"]
    assert docs[1].id == "b" and not docs[1].ext.get("quotes")


def test_the_same_pipeline_file_gives_the_cli_document(cli, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(quotes_pipeline()))
    article = tmp_path / "a.txt"
    article.write_text(TEXT)
    expected = subprocess.run(
        [cli, "run", "--quiet", "--pipeline", str(path), str(article)],
        capture_output=True, check=True, timeout=300,
    ).stdout.decode()
    got = textpipe.Pipeline.from_file(str(path))(TEXT, id=str(article))
    assert got.to_json() + "\n" == expected


def test_the_stage_sdk_ships_in_the_package():
    from textpipe import stage

    assert hasattr(stage, "Stage") and hasattr(stage, "run")
