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
