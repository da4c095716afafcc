#!/usr/bin/env python3
"""Runs Netloom's exported PyTorch scripts in ONE interpreter (torch is imported once), for the export tests.

usage: check_export.py DIR [DIR ...]
Each DIR holds model.py, model.safetensors and data.csv. For each, writes DIR/pred.csv (the script's
`predict` command) and DIR/tensors.json ({name: [shape, little-endian float32 hex]} from the script's
own numpy/struct safetensors reader). When DIR/model.json (the JSON weights export) exists, also writes
DIR/json_check.json: {name: true/false} — whether Python's json + numpy float32 give the same bytes as the
safetensors file for that tensor (and the same shape).
"""
import importlib.util
import json
import os
import sys


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(dirs):
    for i, d in enumerate(dirs):
        mod = load(os.path.join(d, "model.py"), "netloom_export_%d" % i)
        rc = mod.main(["predict", os.path.join(d, "data.csv"), "--out", os.path.join(d, "pred.csv")])
        if rc != 0:
            print("predict failed in %s" % d, file=sys.stderr)
            return rc
        t = mod.read_safetensors_plain(os.path.join(d, "model.safetensors"))
        with open(os.path.join(d, "tensors.json"), "w") as f:
            json.dump({k: [list(v.shape), v.astype("<f4").tobytes().hex()] for k, v in t.items()}, f)
        jpath = os.path.join(d, "model.json")
        if os.path.exists(jpath):
            import numpy as np

            with open(jpath, encoding="utf-8") as f:
                doc = json.load(f)
            check = {}
            for e in doc["tensors"]:
                a = np.array(e["data"], dtype=np.float32).reshape(e["shape"])
                ref = t.get(e["name"])
                check[e["name"]] = ref is not None and list(ref.shape) == e["shape"] and a.astype("<f4").tobytes() == ref.astype("<f4").tobytes()
            with open(os.path.join(d, "json_check.json"), "w") as f:
                json.dump(check, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
