"""The thin CLIs: export_network.py end to end, export_svg.py's input readers, --variants, class names."""
import json
import subprocess
import sys

import pytest
import torch

from conftest import EXPORT_SCRIPTS, REPO_ROOT
from export_svg import default_class_names, read_class_names, read_latent_stats
from svg_export.precisions import VariantsError, parse_variants, precisions


def test_export_network_cli_with_manifest_style_config(fx, tmp_path):
    config = tmp_path / "dit_config.json"
    config.write_text(json.dumps(fx.network("dit").config.to_dict()))
    out = tmp_path / "dit.onnx"
    result = subprocess.run(
        [sys.executable, str(EXPORT_SCRIPTS / "export_network.py"), "--network", "dit", "--config", str(config),
         "--weights", str(fx.root / "dit_state_dict.pt"), "--out", str(out), "--no-ort-check"],
        cwd=REPO_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert out.is_file() and "velocity float32['batch'" in result.stdout


def test_class_name_files(tmp_path):
    (tmp_path / "names.txt").write_text("tench\ngoldfish\n\n")
    (tmp_path / "list.json").write_text(json.dumps(["tench", "goldfish"]))
    (tmp_path / "index.json").write_text(json.dumps({"1": ["n01443537", "goldfish"], "0": ["n01440764", "tench"]}))
    for name in ("names.txt", "list.json", "index.json"):
        assert read_class_names(tmp_path / name) == ("tench", "goldfish")


def test_latent_stats_file(fx, tmp_path):
    mean, std = fx.array("dinov3_sp_mean"), fx.array("dinov3_sp_std")
    torch.save({"dinov3_sp_mean": mean.reshape(1, 1, -1), "dinov3_sp_std": std.reshape(1, 1, -1)}, tmp_path / "s.pt")
    got_mean, got_std = read_latent_stats(tmp_path / "s.pt", channels=mean.numel() - 2)
    assert list(got_mean) == mean[:-2].tolist() and list(got_std) == std[:-2].tolist()


def test_variants_option_is_checked_against_precisions_json():
    assert parse_variants("int4, float32,float16") == ("float32", "float16", "int4")  # the table's order
    assert parse_variants("float32") == ("float32",)
    with pytest.raises(VariantsError, match="unknown precision.*'int8'.*float32, float16, int4"):
        parse_variants("float32,int8")
    with pytest.raises(VariantsError, match="must include float32"):
        parse_variants("float16,int4")
    assert [p.file_for("dit.onnx") for p in precisions().values()][:3] == ["dit.onnx", "dit.fp16.onnx", "dit.int4.onnx"]


@pytest.mark.parametrize("script, args", [("export_svg.py", ["--random-weights"]),
                                          ("export_network.py", ["--network", "dit", "--config", "c", "--weights", "w"])])
def test_cli_refuses_unknown_variants(script, args, tmp_path):
    result = subprocess.run(
        [sys.executable, str(EXPORT_SCRIPTS / script), *args, "--out", str(tmp_path / "x"), "--variants", "float32,int3"],
        cwd=REPO_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 2 and "unknown precision(s) 'int3'" in result.stderr
    assert not (tmp_path / "x").exists()


def test_imagenet_names_are_the_default_for_1000_classes():
    names = default_class_names(1000)
    assert len(names) == len(set(names)) == 1000
    assert (names[0], names[1], names[999]) == ("tench", "goldfish", "toilet tissue")
    assert default_class_names(3) == ("class 0", "class 1", "class 2")
