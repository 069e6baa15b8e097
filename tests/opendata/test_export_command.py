import csv
import io
import json

import pyarrow.parquet as pq
from django.core.management import call_command

from opendata import datasets
from tests.opendata.test_api import EMAIL, NAME, comment


def names_of(resource) -> list[str]:
    return [field["name"] for field in resource["schema"]["fields"]]


def test_export_open_data_writes_everything(tmp_path, setup):
    service, discussion, user, _ = setup
    comment(discussion, user)
    call_command("export_open_data", str(tmp_path), stdout=io.StringIO())
    package = json.loads((tmp_path / "datapackage.json").read_text())
    resources = {r["path"]: r for r in package["resources"]}
    # Every file written is described: CSV, JSON Lines and Parquet alike.
    assert set(resources) == {
        f"{name}.{fmt}"
        for name in datasets.REGISTRY
        for fmt in ("csv", "excel.csv", "jsonl", "parquet")
    }
    assert {r["path"] for r in package["resources"]} <= {
        p.name for p in tmp_path.iterdir()
    }
    assert len({r["name"] for r in package["resources"]}) == len(resources)
    assert resources["comments.jsonl"]["mediatype"] == "application/jsonl"
    assert resources["comments.parquet"]["format"] == "parquet"
    for name in datasets.REGISTRY:
        names = {
            fmt: names_of(resources[f"{name}.{fmt}"])
            for fmt in ("csv", "jsonl", "parquet")
        }
        assert names["csv"] == names["jsonl"] == names["parquet"]
    written = [p for p in tmp_path.glob("*.jsonl") if p.read_text()]
    assert written
    for path in written:
        first = json.loads(path.read_text().splitlines()[0])
        assert list(first) == names_of(resources[path.name])
    csv_resources = [
        r for r in package["resources"] if r["format"] == "csv" and "dialect" not in r
    ]
    assert {r["name"] for r in csv_resources} == set(datasets.REGISTRY)
    for resource in csv_resources:
        name = resource["name"]
        names = [field["name"] for field in resource["schema"]["fields"]]
        assert all(field["description"] for field in resource["schema"]["fields"])
        with (tmp_path / f"{name}.csv").open(newline="", encoding="utf-8") as f:
            assert next(csv.reader(f)) == names
        assert pq.read_table(tmp_path / f"{name}.parquet").column_names == names
        assert (tmp_path / f"{name}.jsonl").exists()
    fields = {
        resource["name"]: {f["name"]: f for f in resource["schema"]["fields"]}
        for resource in csv_resources
    }
    assert resources["dreams.jsonl"]["schema"]["fields"][8]["type"] == "array"
    assert fields["dreams"]["topics"]["type"] == "list"
    assert fields["dreams"]["topics"]["delimiter"] == ";"
    assert "people" in fields["participation-stats"]
    assert "key" in fields["sections"]
    assert "CC BY 4.0" in (tmp_path / "LICENSE").read_text()
    assert "pseudonym" in (tmp_path / "README.md").read_text()
    everything = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert NAME.encode() not in everything and EMAIL.encode() not in everything
