"""ONNX export of the SVG networks and assembly of studio model sets (manifest.json + four graphs).

`export_network` is the one export path (export, checker, ONNX Runtime comparison); `networks` maps the
four roles to their modules, configs and graph names; `model_set` writes a whole model-set folder.
"""
