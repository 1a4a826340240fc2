#!/usr/bin/env python3
"""Export one SVG network to ONNX and check it against PyTorch (thin CLI over svg_export).

  export_network.py --network dit --config dit_state_dict_config.json --weights dit_state_dict.pt --out dit.onnx \
      --variants float32,float16,int4

--config: a fixture *_state_dict_config.json, a network `config` object from a model-set manifest, or a
whole manifest.json. --weights: a plain state dict (fixtures, DINOv3 hub .pth), an SVG autoencoder .ckpt
or an SVG DiT .pt. --variants: precision ids of src/engine/model-set/precisions.json, each written next to
--out with its file suffix (dit.fp16.onnx, dit.int4.onnx; int4 applies to the DiT only).
"""
import argparse
import json

from svg_export.cli import add_export_arguments, ort_check_wanted
from svg_export.networks import NETWORKS, build_network, config_from_json, export_role
from svg_models.checkpoints import network_state_dict, read_checkpoint


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--network", required=True, choices=sorted(NETWORKS))
    parser.add_argument("--config", required=True, help="network config JSON")
    parser.add_argument("--weights", required=True, help="checkpoint holding the network's weights")
    parser.add_argument("--out", required=True, help="output .onnx file")
    parser.add_argument("--image-size", type=int, default=256, help="DINO only: the fixed input size (default 256)")
    add_export_arguments(parser)
    args = parser.parse_args()

    with open(args.config, encoding="utf-8") as f:
        config = config_from_json(args.network, json.load(f))
    model = build_network(args.network, config, network_state_dict(args.network, read_checkpoint(args.weights)))
    check = ort_check_wanted(parser, args)
    report = export_role(args.network, model, args.out, image_size=args.image_size, tolerance=args.tolerance,
                         check_with_ort=check, variants=args.variants, int4_block_size=args.int4_block_size)
    print(report.summary())


if __name__ == "__main__":
    main()
