"""A v2 run restored from its exported model set: the stages that ship come back equal to the trained ones,
the rest trains or is refused by name, finished stages are kept, and the command line says what is wrong."""
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from svg_mini.evaluate_v2 import evaluate_v2
from svg_mini.pipeline_v2 import BUDGETS, DECODER_NOISE, SIZES, STAGE_FILES, Run, export
from svg_mini.prepared import load_prepared, prepare
from svg_mini.restore import RESTORED_STAGES, RestoreError, restore_run

EXPORT_SCRIPTS = Path(__file__).resolve().parents[1]
NODE_MODULES = EXPORT_SCRIPTS.parent / "node_modules"
TINY_TABLE = {"names": ["smiley face", "heart", "flag"],
              "emoji": {"1F600": 0, "1F603": 0, "1F604": 0, "2764-FE0F": 1, "1F499": 1, "1F49A": 1,
                        "1F1EB-1F1F7": 2, "1F1E9-1F1EA": 2, "1F1EF-1F1F5": 2}}
QUIET = {"log": lambda _: None}
SAMPLER = {"steps": 2, "shift": 1.0, "guidanceScale": 3.0}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A finished tiny v2 run and its model set: (run folder, model-set folder, prepared data file)."""
    folder = tmp_path_factory.mktemp("restore")
    data_file = folder / "tiny.npz"
    prepare(NODE_MODULES, data_file, TINY_TABLE, held_out_fraction=0.12, seed=0)
    data = load_prepared(data_file)
    result = Run(folder / "run", data, BUDGETS["smoke"], sizes=SIZES["tiny"], **QUIET).all(with_ablations=False)
    export(result, data.class_names, 64, folder / "set", check_with_ort=False, **QUIET)
    return folder / "run", folder / "set", data_file


def tiny_run(folder: Path, data_file: Path) -> Run:
    return Run(folder, load_prepared(data_file), BUDGETS["smoke"], sizes=SIZES["tiny"], **QUIET)


def test_restored_stages_equal_the_trained_ones_and_the_rest_trains_or_is_refused(exported, tmp_path):
    trained_dir, model_set, data_file = exported
    trained, restored = tiny_run(trained_dir, data_file), tiny_run(tmp_path / "run", data_file)
    assert restore_run(restored, model_set, **QUIET) == {stage: "restored" for stage in RESTORED_STAGES}

    dino = trained.ssl()
    pairs = {"ssl": (dino, restored.ssl()), "autoencoder": (trained.autoencoder(dino), restored.autoencoder(dino)),
             "dit": (trained.load_dit(), restored.load_dit())}
    pairs["decoder"] = (trained.decoder(dino, pairs["autoencoder"][0], DECODER_NOISE),
                        restored.decoder(dino, pairs["autoencoder"][1], DECODER_NOISE))
    for stage, (a, b) in pairs.items():
        unused = {"mask_token"} | {k for k in a.state_dict() if k.endswith("attn.qkv.bias")}  # DINO's key bias
        for key, value in a.state_dict().items():  # is masked in the graph; the mask token is training-only
            if not (stage == "ssl" and key in unused):
                assert torch.equal(b.state_dict()[key], value), f"{stage}: {key}"
    stats = [torch.load(r.file("dit")) for r in (trained, restored)]
    assert torch.allclose(stats[1]["mean"], stats[0]["mean"]) and torch.allclose(stats[1]["std"], stats[0]["std"])
    assert stats[1]["shift"] == pytest.approx(stats[0]["shift"]) and stats[1]["steps"] is None

    # The judge retrains; the clean-decoder control cannot, and says why.
    result = restored.all(with_ablations=False)
    assert result["steps"] == {} and restored.file("classifier").exists()
    with pytest.raises(ValueError, match="restored from a model set, which holds no joint decoder"):
        restored.decoder(dino, result["residual"], 0.0)

    # Re-evaluating it keeps what it cannot measure again from the metrics it replaces, and says so.
    out = tmp_path / "eval"
    out.mkdir()
    (out / "metrics.json").write_text(json.dumps({"ablation": {"ablation-dit-shift-0.4": {"frechet_distance": 3.1}},
                                                  "reconstruction": {"clean": {"psnr_db": 22.0}}, "seed": 9}))
    metrics = evaluate_v2(result, load_prepared(data_file), SAMPLER, out, samples_per_class=1, fd_steps=(1,), **QUIET)
    assert metrics["ablation"] == {"ablation-dit-shift-0.4": {"frechet_distance": 3.1}}
    assert metrics["reconstruction"]["clean"] == {"psnr_db": 22.0} and metrics["seed"] == 0
    assert metrics["carried_over"]["entries"] == ["reconstruction.clean", "ablation.ablation-dit-shift-0.4"]
    assert json.loads((out / "metrics.json").read_text()) == metrics


def test_finished_stages_are_kept_and_a_model_set_of_other_sizes_is_refused(exported, tmp_path):
    trained_dir, model_set, data_file = exported
    run = tiny_run(tmp_path / "run", data_file)
    run.file("ssl").write_bytes(torch.load.__doc__.encode()[:0])  # a stage the run has: never overwritten
    restore_run(run, model_set, **QUIET)
    assert run.file("ssl").stat().st_size == 0
    other = Run(tmp_path / "other", load_prepared(data_file), BUDGETS["smoke"],
                sizes=replace(SIZES["tiny"], dit_width=32), **QUIET)
    with pytest.raises(RestoreError, match=r"manifest.json: its dit config .* is not the run's"):
        restore_run(other, model_set, **QUIET)
    assert not other.file("dit").exists()


def test_command_line_names_a_missing_model_set(tmp_path):
    done = subprocess.run([sys.executable, str(EXPORT_SCRIPTS / "restore_svg_mini_v2.py"), "--run",
                           str(tmp_path / "run"), "--model-set", str(tmp_path / "nowhere")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--model-set" in done.stderr and "no manifest.json" in done.stderr
    assert set(STAGE_FILES) >= set(RESTORED_STAGES)
