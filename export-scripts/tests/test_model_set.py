"""Model-set folders: manifest.json schema (version 2 with precision variants, version 1 on request),
integrity, consistency checks, and the committed random-tiny set."""
import dataclasses
import hashlib
import json

import pytest

import make_random_set
from conftest import REPO_ROOT
from svg_export.model_set import ModelSetInfo, SamplerDefaults, SvgNetworks, write_model_set
from svg_export.networks import NETWORKS, config_from_json
from svg_export.precisions import precisions

COMMITTED = REPO_ROOT / "public" / "models" / "random-tiny"
NETWORKS_BY_KEY = {spec.manifest_key: spec for spec in NETWORKS.values()}
TOP_LEVEL = ["schema", "schemaVersion", "id", "name", "description", "randomWeights", "license", "attribution",
             "image", "latent", "classes", "sampler", "networks", "createdBy"]


def tiny_info(networks: SvgNetworks, **changes) -> ModelSetInfo:
    channels = networks.dit.config.in_channels
    info = ModelSetInfo(
        id="test-set", name="Test set", description="d", random_weights=True, license="Apache-2.0", attribution="a",
        resolution=make_random_set.RESOLUTION, class_names=make_random_set.CLASS_NAMES,
        latent_mean=(0.0,) * channels, latent_std=(1.0,) * channels, sampler=SamplerDefaults(steps=8),
        created_by="tests",
    )
    return dataclasses.replace(info, **changes)


@pytest.fixture(scope="module")
def tiny_set(tmp_path_factory, ort_options):
    networks = SvgNetworks.build(make_random_set.CONFIGS, seed=3)
    out = tmp_path_factory.mktemp("set")
    manifest = write_model_set(networks, tiny_info(networks), out, log=lambda _: None,
                               variants=("float32", "int4"), **ort_options)
    return networks, out, manifest


def _file_matches(folder, entry: dict) -> None:
    data = (folder / entry["file"]).read_bytes()
    assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()


def check_manifest(manifest: dict, folder) -> None:
    assert list(manifest) == TOP_LEVEL
    assert manifest["schema"] == "svg-studio/model-set" and manifest["schemaVersion"] in (1, 2)
    image, latent, classes = manifest["image"], manifest["latent"], manifest["classes"]
    grid = image["resolution"] // image["patchSize"]
    assert latent["grid"] == [grid, grid]
    assert latent["channels"] == latent["dinoChannels"] + latent["residualChannels"]
    assert len(latent["mean"]) == len(latent["std"]) == latent["channels"] and min(latent["std"]) > 0
    assert classes["count"] == len(classes["names"]) == classes["nullId"]
    assert set(manifest["sampler"]) == {"steps", "sampler", "shift", "guidanceScale", "guidanceSchedule"}
    batch, size, tokens, channels = "batch", image["resolution"], grid * grid, latent["channels"]
    io = {
        "dinoEncoder": ([("pixels", "float32", [batch, 3, size, size])],
                        [("patch_tokens", "float32", [batch, tokens, latent["dinoChannels"]])]),
        "residualEncoder": ([("pixels", "float32", [batch, 3, size, size])],
                            [("residual", "float32", [batch, latent["residualChannels"], tokens])]),
        "decoder": ([("latent", "float32", [batch, channels, grid, grid])], [("image", "float32", [batch, 3, size, size])]),
        "dit": ([("x", "float32", [batch, tokens, channels]), ("t", "float32", [batch]), ("y", "int64", [batch])],
                [("velocity", "float32", [batch, tokens, channels])]),
    }
    assert list(manifest["networks"]) == list(io)
    for key, (inputs, outputs) in io.items():
        entry = manifest["networks"][key]
        assert [(v["name"], v["dtype"], v["shape"]) for v in entry["inputs"]] == inputs
        assert [(v["name"], v["dtype"], v["shape"]) for v in entry["outputs"]] == outputs
        assert entry["parameters"] > 0
        if manifest["schemaVersion"] == 1:
            _file_matches(folder, entry)
            continue
        assert list(entry) == ["parameters", "inputs", "outputs", "config", "variants"]
        variants = entry["variants"]
        assert "float32" in variants and set(variants) <= set(precisions())
        assert list(variants) == [p for p in precisions() if p in variants]  # the table's order
        for precision, variant in variants.items():
            _file_matches(folder, variant)
            assert variant["file"] == precisions()[precision].file_for(NETWORKS_BY_KEY[key].file)


def test_written_manifest(tiny_set, ort_options):
    networks, folder, manifest = tiny_set
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8")) == manifest
    check_manifest(manifest, folder)
    assert manifest["schemaVersion"] == 2
    for role, spec in NETWORKS.items():
        assert manifest["networks"][spec.manifest_key]["variants"]["float32"]["file"] == spec.file
        assert config_from_json(role, manifest) == getattr(networks, role).config
    assert manifest["classes"]["names"] == list(make_random_set.CLASS_NAMES)
    # int4 is written for the DiT only, with its quantisation and (checked in ORT) its figures
    assert [key for key, e in manifest["networks"].items() if "int4" in e["variants"]] == ["dit"]
    int4 = manifest["networks"]["dit"]["variants"]["int4"]
    assert int4["quantization"]["op"] == "com.microsoft.MatMulNBits" and int4["quantization"]["bits"] == 4
    if ort_options["check_with_ort"]:
        assert set(int4["check"]) == {"maxRelativeError", "velocityMaxAbs", "latentMaxAbs", "decodedPsnrDb"}
        assert int4["check"]["latentMaxAbs"] > 0 and 10 < int4["check"]["decodedPsnrDb"] < 100


def test_version_1_on_request(tiny_set, tmp_path):
    networks = tiny_set[0]
    manifest = write_model_set(networks, tiny_info(networks), tmp_path, log=lambda _: None, schema_version=1,
                               float16=True, check_with_ort=False)
    check_manifest(manifest, tmp_path)
    dit = manifest["networks"]["dit"]
    assert manifest["schemaVersion"] == 1 and dit["file"] == "dit.onnx" and dit["float16"]["file"] == "dit.fp16.onnx"
    _file_matches(tmp_path, dit["float16"])
    with pytest.raises(ValueError, match="version 1 carries float32 and float16 only"):
        write_model_set(networks, tiny_info(networks), tmp_path, schema_version=1, variants=("float32", "int4"))
    with pytest.raises(ValueError, match="unknown precision"):
        write_model_set(networks, tiny_info(networks), tmp_path, variants=("float32", "int8"))


def test_committed_random_tiny_is_consistent_and_current():
    """public/models/random-tiny is intact and is what make_random_set.py builds now."""
    manifest = json.loads((COMMITTED / "manifest.json").read_text(encoding="utf-8"))
    check_manifest(manifest, COMMITTED)
    assert manifest["randomWeights"] is True and manifest["id"] == "random-tiny"
    assert manifest["schemaVersion"] == 2
    assert sum(v["bytes"] for entry in manifest["networks"].values() for v in entry["variants"].values()) < 10 * 2**20
    networks, info = make_random_set.build(make_random_set.DEFAULT_SEED)
    for role in NETWORKS:
        assert config_from_json(role, manifest) == getattr(networks, role).config
    assert manifest["sampler"] == info.sampler.to_manifest()
    assert (manifest["name"], manifest["classes"]["names"]) == (info.name, list(info.class_names))
    # the statistics come from the seeded encoders, so they also pin the committed weights' seed
    assert manifest["latent"]["mean"] == pytest.approx(info.latent_mean, abs=1e-6)
    assert manifest["latent"]["std"] == pytest.approx(info.latent_std, abs=1e-6)


def test_mismatched_sets_are_rejected(tiny_set, tmp_path):
    networks = tiny_set[0]
    with pytest.raises(ValueError, match="class names"):
        write_model_set(networks, tiny_info(networks, class_names=("a", "b")), tmp_path)
    with pytest.raises(ValueError, match="resolution"):
        write_model_set(networks, tiny_info(networks, resolution=72), tmp_path)
    with pytest.raises(ValueError, match="latent statistics"):
        write_model_set(networks, tiny_info(networks, latent_std=(1.0,)), tmp_path)
    assert not list(tmp_path.iterdir())


def test_sampler_schedules():
    for schedule in ("constant", "late", "linear", "early-0.5", "cfg_star-1-0", "cfg_star-2-0.5"):
        assert SamplerDefaults(guidance_schedule=schedule).to_manifest()["guidanceSchedule"] == schedule
    for schedule in ("Constant", "early", "cfg_star-1", "late-0.5"):
        with pytest.raises(ValueError):
            SamplerDefaults(guidance_schedule=schedule)
    with pytest.raises(ValueError):
        SamplerDefaults(sampler="dpm")


def test_sampler_ids_come_from_the_typescript_registry():
    from svg_export.model_set import SOLVER_IDS

    assert {"euler", "heun", "ab2"} <= set(SOLVER_IDS)
    for solver in SOLVER_IDS:
        assert SamplerDefaults(sampler=solver).to_manifest()["sampler"] == solver
