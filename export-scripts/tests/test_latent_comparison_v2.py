"""The SVG-vs-KL-VAE comparison on SVG-Mini v2 at tiny sizes: two seeds end to end, means and spreads per
snapshot for both spaces, the noise reading, resuming without retraining, and the command line's checks."""
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from svg_mini.latent_comparison import FOLDER, SPACES, V2_BUDGETS, compare_v2, gap_reading, mean_and_spread
from svg_mini.pipeline_v2 import BUDGETS, SIZES, Run
from svg_mini.prepared import load_prepared, prepare

EXPORT_SCRIPTS = Path(__file__).resolve().parents[1]
NODE_MODULES = EXPORT_SCRIPTS.parent / "node_modules"
TINY_TABLE = {"names": ["smiley face", "heart", "flag"],
              "emoji": {"1F600": 0, "1F603": 0, "1F604": 0, "2764-FE0F": 1, "1F499": 1, "1F49A": 1,
                        "1F1EB-1F1F7": 2, "1F1E9-1F1EA": 2, "1F1EF-1F1F5": 2}}
SAMPLER = {"steps": 2, "shift": 1.0, "guidanceScale": 3.0}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[Path, Path]:
    """A finished tiny v2 run (smoke budget, judge included): (run folder, prepared data file)."""
    folder = tmp_path_factory.mktemp("v2")
    data_file = folder / "tiny.npz"
    prepare(NODE_MODULES, data_file, TINY_TABLE, held_out_fraction=0.12, seed=0)
    Run(folder / "run", load_prepared(data_file), BUDGETS["smoke"], sizes=SIZES["tiny"],
        log=lambda _: None).all(with_ablations=False)
    return folder / "run", data_file


def files_and_times(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


def test_two_seeds_give_means_and_spreads_per_snapshot_and_a_rerun_trains_nothing(tiny_run, tmp_path):
    run_dir, data_file = tiny_run
    stages_before = files_and_times(run_dir)
    run = Run(run_dir, load_prepared(data_file), BUDGETS["smoke"], sizes=SIZES["tiny"], log=lambda _: None)
    report = compare_v2(run, {"sampler": SAMPLER}, tmp_path / "out", seeds=2, budget=V2_BUDGETS["smoke"],
                        samples_per_class=2, log=lambda _: None)
    assert report == json.loads((tmp_path / "out" / "latent-comparison.json").read_text())
    assert set(report["snapshots"]) == {"1", "2"}  # the smoke milestone and the last step
    grid = Image.open(tmp_path / "out" / report["grid"]["file"])  # 4 rows (2 per space) x 3 classes of 64 px
    assert len(report["grid"]["rows"]) == 4 and grid.size == (3 * 66 * 2, 4 * 66 * 2)
    for entry in report["snapshots"].values():
        for space in SPACES:
            for metric in ("frechet_distance", "class_consistency"):
                stats = entry[space][metric]
                assert len(stats["per_seed"]) == 2 and stats["std"] is not None
                assert stats["mean"] == pytest.approx(sum(stats["per_seed"]) / 2)
        assert isinstance(entry["gap"]["frechet_distance"]["exceeds_noise"], bool)
        assert entry["reading"].startswith("FD: gap") and "consistency: gap" in entry["reading"]
    assert report["latent_shape"]["svg"][:2] == report["latent_shape"]["kl-vae"][:2] == [8, 8]
    assert report["latent_shape"]["kl-vae"][2] == 4
    # Only the comparison's folder is new in the run: its stage files are untouched.
    after = files_and_times(run_dir)
    assert {k: v for k, v in after.items() if not k.startswith(FOLDER)} == stages_before
    assert sorted(p.name for p in (run_dir / FOLDER).iterdir()) == [
        "budget.json", "kl-vae-latents.pt", "kl-vae.ckpt", "kl-vae.pt", "seed-0", "seed-1", "svg-latents.pt"]

    messages: list[str] = []
    again = compare_v2(run, {"sampler": SAMPLER}, tmp_path / "again", seeds=2, budget=V2_BUDGETS["smoke"],
                       samples_per_class=2, log=messages.append)
    assert again == report
    assert files_and_times(run_dir) == after  # nothing retrained, rescored or rewritten
    assert not [m for m in messages if "step" in m and "loss" in m]
    # New sampler defaults score every snapshot again (nothing retrains); scores never mix settings.
    other_sampler = {**SAMPLER, "guidanceScale": SAMPLER["guidanceScale"] + 1}
    rescored = compare_v2(run, {"sampler": other_sampler}, tmp_path / "rescored", seeds=2,
                          budget=V2_BUDGETS["smoke"], samples_per_class=2, log=messages.append)
    assert rescored["sampler"] == other_sampler
    changed = {k for k, v in files_and_times(run_dir).items() if after.get(k) != v}
    assert changed and all(k.endswith("-score.json") for k in changed)
    # Other settings in the same folder are refused by name, never mixed with what is trained.
    with pytest.raises(ValueError, match="latent-comparison: trained with"):
        compare_v2(run, {"sampler": SAMPLER}, tmp_path / "other", seeds=2,
                   budget=replace(V2_BUDGETS["smoke"], dit_steps=3), samples_per_class=2, log=lambda _: None)


def test_the_reading_says_whether_the_gap_exceeds_twice_its_standard_error():
    svg, kl = mean_and_spread([1.0, 1.2]), mean_and_spread([3.0, 3.2])
    clear = gap_reading("FD", svg, kl, lower_is_better=True)
    assert clear["exceeds_noise"] is True and "SVG is better" in clear["reading"]
    noisy = gap_reading("FD", mean_and_spread([1.0, 3.0]), mean_and_spread([2.0, 3.5]), lower_is_better=True)
    assert noisy["exceeds_noise"] is False and "no difference beyond the seed noise" in noisy["reading"]
    single = gap_reading("FD", mean_and_spread([1.0]), mean_and_spread([2.0]), lower_is_better=True)
    assert single["exceeds_noise"] is None and "one seed" in single["reading"]
    with pytest.raises(ValueError, match="seeds must be at least 1"):
        compare_v2(None, {"sampler": SAMPLER}, Path("unused"), seeds=0)


def command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(EXPORT_SCRIPTS / "compare_latent_spaces.py"), *args],
                          capture_output=True, text=True, timeout=600)


def test_the_command_resumes_a_finished_comparison_and_checks_its_arguments(tiny_run, tmp_path):
    run_dir, data_file = tiny_run
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"sampler": SAMPLER}))
    common = ["--version", "2", "--run", str(run_dir), "--manifest", str(manifest), "--data", str(data_file),
              "--sizes", "tiny", "--comparison-budget", "smoke", "--samples-per-class", "2", "--threads", "1"]
    done = command(*common, "--out", str(tmp_path / "out"), "--seeds", "2")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert set(json.loads((tmp_path / "out" / "latent-comparison.json").read_text())["snapshots"]) == {"1", "2"}

    bad = command(*common, "--out", str(tmp_path / "bad"), "--seeds", "0")
    assert bad.returncode == 2 and "--seeds must be at least 1, got 0" in bad.stderr
    bad = command(*common[:5], str(tmp_path / "missing.json"), *common[6:], "--out", str(tmp_path / "bad"))
    assert bad.returncode == 2 and "missing.json: no such file" in bad.stderr
    bad = command("--version", "2", "--run", str(tmp_path / "no-run"), "--manifest", str(manifest), "--data",
                  str(data_file), "--out", str(tmp_path / "bad"))
    assert bad.returncode == 2 and "no-run: no such folder" in bad.stderr
    assert not (tmp_path / "bad").exists()
    bad = command(*common, "--out", str(tmp_path / "bad"), "--comparison-budget", "cpu")
    assert bad.returncode == 1 and "trained with" in bad.stderr and "Traceback" not in bad.stderr
