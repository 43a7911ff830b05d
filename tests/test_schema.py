"""The schema is defined once; the committed JSON Schema and the README table follow it."""

from __future__ import annotations

import json

from site_gen.cli.arguments import SCHEMA_FILE
from site_gen.cli.commands import schema_text
from site_gen.content.schema import ACTOR_FIELDS, markdown_table

from .conftest import ROOT, SAMPLE_CONTENT, run_cli


def test_committed_json_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(SAMPLE_CONTENT), (
        "schema/actor.schema.json is out of date: run `make schema` and commit it"
    )


def test_json_schema_lists_every_key_and_the_vocabularies():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert list(schema["properties"]) == [f.name for f in ACTOR_FIELDS]
    assert schema["required"] == ["id", "name"]
    assert schema["additionalProperties"] is False
    territories = schema["properties"]["territories"]["items"]["enum"]
    assert "Auvergne-Rhône-Alpes" in territories and len(territories) == 20
    assert all(p["description"] for p in schema["properties"].values())


def test_readme_table_of_keys_is_the_generated_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, (
        "README's key table is out of date: see schema.markdown_table"
    )


def test_schema_command_writes_the_file(tmp_path):
    target = tmp_path / "actor.schema.json"
    result = run_cli("schema", "--content", SAMPLE_CONTENT, "--output", target)
    assert result.status == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Fiche acteur"
