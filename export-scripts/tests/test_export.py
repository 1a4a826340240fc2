"""ONNX export of each fixture network under the graph contract the TypeScript side relies on."""
import pytest

from svg_export.networks import NETWORKS, export_role

EXPECTED_OUTPUT = {"dino": "dinov3_x_norm_patchtokens", "residual": "residual_vit_out",
                   "decoder": "decoder_out", "dit": "dit_out"}


@pytest.mark.parametrize("role", sorted(NETWORKS))
def test_fixture_network_exports(fx, role, tmp_path, ort_options):
    spec = NETWORKS[role]
    model = fx.network(role)
    report = export_role(role, model, tmp_path / spec.file, image_size=fx.array("image").shape[-1], **ort_options)

    assert [io["name"] for io in report.inputs] == list(spec.input_names)
    assert [io["name"] for io in report.outputs] == list(spec.output_names)
    for io in report.inputs + report.outputs:
        assert io["shape"][0] == "batch" and all(isinstance(d, int) for d in io["shape"][1:]), io
    expected = list(fx.array(EXPECTED_OUTPUT[role]).shape[1:])
    if role == "dit":
        expected[-1] = model.config.in_channels  # the graph returns the velocity half only
        assert [io["dtype"] for io in report.inputs] == ["float32", "float32", "int64"]
    assert report.outputs[0]["shape"][1:] == expected
    # no control flow, no runtime shape computation; RoPE tables are constants
    assert not {"If", "Loop", "Scan", "Shape"} & report.ops.keys()
    if role == "dino":
        assert not {"Sin", "Cos"} & report.ops.keys()
    assert report.parameters == sum(p.numel() for p in model.parameters())
    if ort_options["check_with_ort"]:
        assert sorted(report.max_abs_error) == [1, 2, 3]
        assert max(report.max_abs_error.values()) <= 1e-4


def test_external_data_layout(fx, tmp_path, ort_options):
    """The layout used for graphs over 2 GB (forced here on a small one): weights in <file>.data."""
    report = export_role("dit", fx.network("dit"), tmp_path / "dit.onnx", external_data=True, check_batches=(),
                         **ort_options)
    data = tmp_path / "dit.onnx.data"
    assert report.external_data["file"] == data.name and report.external_data["bytes"] == data.stat().st_size
    assert report.bytes == (tmp_path / "dit.onnx").stat().st_size < data.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dit.onnx", "dit.onnx.data"]
