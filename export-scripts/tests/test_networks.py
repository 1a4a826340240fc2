"""The export roles read their graph contract from src/engine/model-set/graph-io.json, the table the
TypeScript manifest check and session binding read."""
import json

import pytest

from svg_export.export import ExportCheckError
from svg_export.networks import GRAPH_IO_JSON, NETWORKS, graph_io


def test_every_role_takes_its_names_and_dtypes_from_graph_io_json():
    table = json.loads(GRAPH_IO_JSON.read_text(encoding="utf-8"))["networks"]
    assert sorted(spec.manifest_key for spec in NETWORKS.values()) == sorted(table)
    for spec in NETWORKS.values():
        row = table[spec.manifest_key]
        assert spec.input_names == tuple(t["name"] for t in row["inputs"])
        assert spec.output_names == tuple(t["name"] for t in row["outputs"])
        assert spec.dtypes("inputs") == [t["dtype"] for t in row["inputs"]]
    assert NETWORKS["dit"].input_names == ("x", "t", "y") and NETWORKS["dit"].dtypes("inputs")[2] == "int64"


def test_an_export_whose_dtypes_leave_the_table_is_refused(fx, tmp_path, monkeypatch):
    """A graph the studio's manifest check would refuse fails at export, naming the side and both dtypes."""
    from svg_export import networks

    changed = json.loads(json.dumps(graph_io()))
    changed["decoder"]["inputs"][0]["dtype"] = "float16"
    monkeypatch.setattr(networks, "graph_io", lambda: changed)
    with pytest.raises(ExportCheckError, match=r"inputs dtypes \['float32'\], graph-io.json says \['float16'\]"):
        networks.export_role("decoder", fx.network("decoder"), tmp_path / "decoder.onnx", check_with_ort=False)
