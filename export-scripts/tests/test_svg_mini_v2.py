"""SVG-Mini v2 at tiny sizes: the class table, the prepared data, every training stage through the GPU
command's tiny mode (time-budgeted calibration included), resuming, export and the evaluation."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from svg_mini.autoencoder import noised
from svg_mini.classes import CLASS_TABLE, PACKAGE, build_class_table, load_class_table
from svg_mini.evaluate_v2 import evaluate_v2, validation_split
from svg_mini.flow import class_balanced_weights, dimension_shift, shift_time
from svg_mini.pipeline_v2 import (BUDGETS, SIZES, STAGE_FILES, Run, calibrated_steps, chosen_sampler, configs,
                                  export)
from svg_mini.prepared import FORMAT_VERSION, load_prepared, prepare
from svg_mini.sampler_sweep import CONSISTENCY_MARGIN, sweep_v2

EXPORT_SCRIPTS = Path(__file__).resolve().parents[1]
NODE_MODULES = EXPORT_SCRIPTS.parent / "node_modules"
# Three classes, three emoji each: held-out split, both styles, all in seconds.
TINY_EMOJI = {"1F600": 0, "1F603": 0, "1F604": 0, "2764-FE0F": 1, "1F499": 1, "1F49A": 1,
              "1F1EB-1F1F7": 2, "1F1E9-1F1EA": 2, "1F1EF-1F1F5": 2}
TINY_TABLE = {"names": ["smiley face", "heart", "flag"], "emoji": TINY_EMOJI}


def test_class_table_is_the_rules_applied_to_the_installed_package():
    table = load_class_table()
    assert table == build_class_table(json.loads((NODE_MODULES / PACKAGE / "emoji.json").read_text()))
    counts = np.bincount(list(table["emoji"].values()), minlength=len(table["names"]))
    assert counts.min() >= 20, dict(zip(table["names"], counts.tolist()))
    assert table["emoji"]["1F600"] == table["names"].index("smiley face")
    assert table["emoji"]["1F1EB-1F1F7"] == table["names"].index("flag")


@pytest.mark.parametrize("change, message", [
    (lambda t: t["emoji"].update({"1F600": 99}), "class id 99"),
    (lambda t: t.update(names=t["names"] + ["unused"]), "have no emoji"),
    (lambda t: t.update(names=["a", "a"] + t["names"][2:]), "distinct"),
])
def test_class_table_errors_name_the_problem(tmp_path, change, message):
    table = json.loads(CLASS_TABLE.read_text())
    change(table)
    (tmp_path / "classes.json").write_text(json.dumps(table))
    with pytest.raises(ValueError, match=message):
        load_class_table(tmp_path / "classes.json")


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "tiny.npz"
    summary = prepare(NODE_MODULES, path, TINY_TABLE, held_out_fraction=0.12, seed=0)
    assert summary["images"] == 18 and summary["held_out"] == 6
    return path


def test_prepared_data_is_deterministic_split_by_emoji_and_stratified(tiny_data, tmp_path):
    again = tmp_path / "again.npz"
    prepare(NODE_MODULES, again, TINY_TABLE, held_out_fraction=0.12, seed=0)
    with np.load(tiny_data) as a, np.load(again) as b:
        assert all(np.array_equal(a[k], b[k]) for k in a.files)
        assert a["images"].dtype == np.uint8 and a["images"].shape == (18, 3, 64, 64)
    data = load_prepared(tiny_data)
    assert data.class_names == tuple(TINY_TABLE["names"])
    assert -1 <= data.images.min() and data.images.max() <= 1
    held = {data.emoji[i] for i in data.held_index}
    assert not held & {data.emoji[i] for i in data.train_index}
    assert sorted(TINY_EMOJI[e] for e in held) == [0, 1, 2]  # one held-out emoji per class
    fit, validation = validation_split(data, data.train_index, 0.5, 0)
    assert set(fit.tolist()) | set(validation.tolist()) == set(data.train_index.tolist())
    assert not {data.emoji[i] for i in fit} & {data.emoji[i] for i in validation}


def test_prepared_data_errors_say_what_to_do(tmp_path, tiny_data):
    with pytest.raises(FileNotFoundError, match="prepare_svg_mini_v2.py"):
        load_prepared(tmp_path / "missing.npz")
    with np.load(tiny_data) as f:
        arrays = {k: f[k] for k in f.files}
    np.savez(tmp_path / "old.npz", **{**arrays, "format_version": np.int64(FORMAT_VERSION + 1)})
    with pytest.raises(ValueError, match="format_version"):
        load_prepared(tmp_path / "old.npz")


def test_schedule_shift_grows_with_the_latent_dimension_and_batches_balance_classes():
    # RAE: alpha = sqrt(m / 4096); here s = 1 / alpha (t = 0 is noise), so a larger latent shifts further.
    assert dimension_shift(64, 64) == pytest.approx(1.0)
    assert dimension_shift(64, 136) == pytest.approx((4096 / 8704) ** 0.5)
    assert dimension_shift(256, 392) < dimension_shift(64, 136) < 1
    assert shift_time(torch.tensor([0.5]), dimension_shift(64, 136)).item() < 0.5
    weights = class_balanced_weights(torch.tensor([0, 0, 0, 1]))
    assert torch.allclose(weights, torch.tensor([1 / 3, 1 / 3, 1 / 3, 1.0]))


def test_noise_robust_decoder_input_is_scaled_per_channel_and_off_at_zero():
    gen = torch.Generator().manual_seed(0)
    latent = torch.randn(256, 4, 2, 2) * torch.tensor([1.0, 10.0, 1.0, 1.0])[None, :, None, None]
    assert torch.equal(noised(latent, 0.0, gen), latent)
    diff = noised(latent, 0.5, gen) - latent
    ratio = diff[:, 1].std() / diff[:, 0].std()
    assert 7 < ratio < 13  # noise follows each channel's spread


def test_full_size_dit_and_decoder_fit_the_download_and_checkpoint_limits():
    from svg_models.decoder import Decoder
    from svg_models.dinov3 import DinoV3
    from svg_models.dit import DiT
    from svg_models.residual_vit import ResidualViT

    cfg = configs(15)
    count = lambda module: sum(p.numel() for p in module.parameters())  # noqa: E731
    dit_params, decoder_params = count(DiT(cfg["dit"])), count(Decoder(cfg["decoder"]))
    # float32 stage files: autoencoder.pt (residual ViT + decoder) is the largest, then ssl.pt
    assert 4 * (count(ResidualViT(cfg["residual"])) + decoder_params) <= 16 * 2**20
    assert 4 * count(DinoV3(cfg["dino"])) <= 16 * 2**20
    assert cfg["dit"].hidden_size > 1.5 * cfg["dit"].in_channels  # width exceeds the token dimension, with room
    assert 2 * dit_params <= 16 * 2**20  # the float16 DiT checkpoint fits one 16 MiB file
    assert 2 * (dit_params + decoder_params) <= 40e6  # float16 generation download <= 40 MB


def test_calibration_takes_what_fits_and_respects_the_cap():
    calls = []
    assert calibrated_steps(lambda n: calls.append(n), seconds=1e9, cap=500, probe=3) == 500
    assert calls == [3, 3]
    assert calibrated_steps(lambda n: None, seconds=1.0, cap=2, probe=3) == 2


@pytest.fixture(scope="module")
def gpu_command_tiny(tiny_data, tmp_path_factory) -> Path:
    """The GPU one-command script in its tiny CPU mode, on the tiny prepared data."""
    out = tmp_path_factory.mktemp("gpu")
    env = {**os.environ, "PYTHON": sys.executable, "OUT": str(out), "DATA": str(tiny_data), "SECONDS_BUDGET": "2"}
    done = subprocess.run(["bash", str(EXPORT_SCRIPTS / "gpu_train_svg_mini_v2.sh"), "tiny"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out / "svg-mini-v2"


def test_gpu_command_tiny_writes_the_eight_stage_files(gpu_command_tiny):
    files = {p.name for p in gpu_command_tiny.iterdir() if p.is_file()}
    assert files == set(STAGE_FILES.values()) | {"train-log.txt"}
    assert len(STAGE_FILES) <= 8
    assert all((gpu_command_tiny / f).stat().st_size <= 16 * 2**20 for f in STAGE_FILES.values())
    log = (gpu_command_tiny / "train-log.txt").read_text()
    assert "steps fit in" in log and "done" in log  # the time-budget calibration ran
    dit = torch.load(gpu_command_tiny / "dit.pt")
    assert next(iter(dit["ema"].values())).dtype == torch.float16 and dit["mean"].shape == dit["std"].shape


def test_stages_resume_export_and_evaluate(gpu_command_tiny, tiny_data, tmp_path):
    data = load_prepared(tiny_data)
    before = {f: (gpu_command_tiny / f).stat().st_mtime for f in STAGE_FILES.values()}
    run = Run(gpu_command_tiny, data, BUDGETS["smoke"], sizes=SIZES["tiny"], log=lambda _: None)
    result = run.all()  # every stage finished: loads, trains nothing
    assert before == {f: (gpu_command_tiny / f).stat().st_mtime for f in STAGE_FILES.values()}
    assert run.steps_used == {}

    manifest = export(result, data.class_names, 64, tmp_path / "set", log=lambda _: None, check_with_ort=False)
    assert manifest["id"] == "svg-mini-v2" and manifest["image"]["resolution"] == 64
    assert manifest["classes"]["names"] == list(data.class_names)
    assert manifest["sampler"]["shift"] == pytest.approx(result["shift"], abs=1e-4)
    assert manifest["schemaVersion"] == 2
    assert all(set(entry["variants"]) == {"float32", "float16"} for entry in manifest["networks"].values())
    with pytest.raises(ValueError, match="unknown precision"):
        export(result, data.class_names, 64, tmp_path / "bad", log=lambda _: None, variants=("float8",),
               check_with_ort=False)

    metrics = evaluate_v2(result, data, manifest["sampler"], tmp_path / "eval", samples_per_class=2,
                          fd_steps=(1, 2), log=lambda _: None)
    assert set(metrics["reconstruction"]) == {"noise_robust", "clean"}
    assert set(metrics["generation"]["frechet_distance"]) == {"1", "2"}
    assert 0 <= metrics["generation"]["class_consistency"]["overall"] <= 1
    assert set(metrics["ablation"]) == {"decoder noise_robust", "decoder clean", "ablation-dit-shift-dim",
                                        "ablation-dit-shift-0.4"}
    assert {p.name for p in (tmp_path / "eval").iterdir()} == {"metrics.json", "reconstruction.png",
                                                              "samples-per-class.png"}

    swept = sweep_v2(result, data, 2, tmp_path / "sweep.json", samples_per_class=1, shifts=(0.4, 1.0),
                     guidance_scales=(1.0, 3.0), log=lambda _: None)
    best = max(r["class_consistency"] for r in swept["grid"])
    assert len(swept["grid"]) == 4 and swept["chosen"]["class_consistency"] >= best - CONSISTENCY_MARGIN


def test_cpu_run_keeps_snapshots_and_scores_quality_per_hour(tiny_data, tmp_path):
    from svg_mini.evaluate_v2 import score_snapshots

    data = load_prepared(tiny_data)
    run = Run(tmp_path / "run", data, BUDGETS["smoke"], sizes=SIZES["tiny"], log=lambda _: None, snapshot_every=1)
    result = run.all(with_ablations=False)
    names = sorted(p.name for p in (tmp_path / "run" / "snapshots").iterdir())
    assert names == ["autoencoder-000001.pt", "autoencoder-000002.pt", "dit-000002.pt", "ssl-000001.pt",
                     "ssl-000002.pt"]  # the DiT checkpoints (and snapshots) every 100 steps and at its end
    sampler = {"steps": 2, "shift": result["shift"], "guidanceScale": 3.0}
    curve = score_snapshots(run, result, sampler, tmp_path / "curve.json", samples_per_class=1, log=lambda _: None)
    assert [r["step"] for r in curve["ssl"]] == [1, 2] and all("points_over_random" in r for r in curve["ssl"])
    assert [r["step"] for r in curve["autoencoder"]] == [1, 2] and curve["autoencoder"][0]["psnr_db"] > 0
    assert curve["dit"][0]["class_consistency"] is not None
    assert json.loads((tmp_path / "curve.json").read_text()) == curve
    every_other = score_snapshots(run, result, sampler, tmp_path / "curve-2.json", samples_per_class=1,
                                  log=lambda _: None, every=2)
    assert [r["step"] for r in every_other["ssl"]] == [2] and every_other["ssl"][0]["hours"] is not None


def test_only_decoder_clean_trains_the_control_decoder_and_nothing_after_it(tiny_data, tmp_path):
    done = subprocess.run([sys.executable, str(EXPORT_SCRIPTS / "train_svg_mini_v2.py"), "--run", str(tmp_path),
                           "--data", str(tiny_data), "--budget", "smoke", "--sizes", "tiny", "--threads", "1",
                           "--only", "decoder-clean"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert sorted(p.name for p in tmp_path.glob("*.pt")) == ["autoencoder.pt", "decoder-clean.pt", "ssl.pt"]


def test_evaluation_command_writes_metrics_and_the_judge_report(gpu_command_tiny, tiny_data, tmp_path):
    done = subprocess.run([sys.executable, str(EXPORT_SCRIPTS / "evaluate_svg_mini.py"), "--version", "2", "--sizes",
                           "tiny", "--run", str(gpu_command_tiny), "--data", str(tiny_data), "--out", str(tmp_path),
                           "--samples-per-class", "1", "--threads", "1"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    judge = json.loads((tmp_path / "judge.json").read_text())
    assert judge["held_out_per_class"] == [2, 2, 2] and len(judge["per_class"]) == 3
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert set(metrics["generation"]["frechet_distance"]) == {"1", "2", "5", "10", "25"}
    assert metrics["linear_probe"]["points_over_random"] == pytest.approx(
        100 * (metrics["linear_probe"]["trained"] - metrics["linear_probe"]["random_weights"]))


def test_export_takes_the_sampler_sweeps_choice_and_names_a_file_that_is_not_one(tmp_path):
    sweep = tmp_path / "sweep.json"
    sweep.write_text(json.dumps({"chosen": {"shift": 0.686, "guidance_scale": 4.5, "frechet_distance": 1.0}}))
    assert chosen_sampler(sweep) == {"guidance_scale": 4.5, "shift": 0.686}
    sweep.write_text("{}")
    with pytest.raises(SystemExit, match="sweep.json: not a sampler sweep"):
        chosen_sampler(sweep)
