"""The thin CLIs: export_network.py end to end, export_svg.py's input readers."""
import json
import subprocess
import sys

import torch

from conftest import EXPORT_SCRIPTS, REPO_ROOT
from export_svg import read_class_names, read_latent_stats


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
