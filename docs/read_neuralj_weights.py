"""Reads a neuralj model file with numpy alone and runs its forward pass (Dense + activations).

The file is a plain safetensors file, so with the `safetensors` package installed this is simply
    from safetensors.numpy import load_file; tensors = load_file(path)
This script parses the same layout by hand (8-byte little-endian header length, JSON header, float32 data), which
needs nothing but numpy, and checks every rule the safetensors format imposes.

usage: python3 read_neuralj_weights.py model.safetensors [comma-separated input values]
"""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    metadata = header.pop("__metadata__", {})
    assert all(isinstance(v, str) for v in metadata.values()), "metadata values must be strings"
    tensors, covered = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, end = info["data_offsets"]
        assert info["dtype"] == "F32" and begin == covered, (name, info)
        values = np.frombuffer(data[begin:end], dtype="<f4")
        assert values.size == int(np.prod(info["shape"])), (name, info)
        tensors[name] = values.reshape(info["shape"])
        covered = end
    assert covered == len(data), "tensors must cover the data exactly"
    return tensors, metadata


def predict(tensors, architecture, x):
    activations = {
        "Sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "Tanh": np.tanh,
        "ReLU": lambda z: np.maximum(z, 0),
        "Softmax": lambda z: np.exp(z - z.max(-1, keepdims=True)) / np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True),
    }
    for layer in architecture["layers"]:
        params = {p["name"]: tensors[p["tensor"]] for p in layer["parameters"]}
        if layer["type"] == "Dense":
            x = x @ params["weights"] + params["bias"]  # weights are [in, out]
        elif layer["type"] in activations:
            x = activations[layer["type"]](x)
        else:
            raise ValueError("this sketch has no numpy version of layer type " + layer["type"])
    return x


if __name__ == "__main__":
    tensors, metadata = read_safetensors(sys.argv[1])
    architecture = json.loads(metadata["architecture"])
    for name, t in tensors.items():
        print(name, t.dtype, t.shape)
    if len(sys.argv) > 2:
        x = np.array([[float(v) for v in sys.argv[2].split(",")]], dtype=np.float32)
        print("prediction", predict(tensors, architecture, x))
