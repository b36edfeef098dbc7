"""Writes the PyTorch fixture of PyTorchWeightsTest (run from this folder with Debian's python3-torch):

    /usr/bin/python3 make_pytorch_fixture.py

pytorch-mlp.safetensors  the state_dict of the nn.Sequential below, in the safetensors layout (the file
                         safetensors.torch.save_file writes; that package is not in Debian 12, so the layout is written
                         here: an 8-byte little-endian header length, the JSON header padded with spaces to a multiple
                         of 8, then each tensor's float32 values, little-endian, row-major, in header order)
pytorch-mlp.csv          six inputs and PyTorch's predictions for them: x0..x3, p0..p2 per line, 9 significant digits
"""
import json
import struct

import torch
from torch import nn

torch.manual_seed(14)
model = nn.Sequential(
    nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2),
    nn.Linear(16, 8), nn.Tanh(),
    nn.Linear(8, 3), nn.Softmax(dim=1),
)
model.eval()  # Dropout is the identity, as in neuralj's predict
x = torch.randn(6, 4)
with torch.no_grad():
    p = model(x)

state = {name: t.detach().contiguous().to(torch.float32) for name, t in model.state_dict().items()}
header, data, offset = {"__metadata__": {"format": "pt"}}, b"", 0
for name in sorted(state):
    raw = state[name].numpy().astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(state[name].shape), "data_offsets": [offset, offset + len(raw)]}
    data += raw
    offset += len(raw)
text = json.dumps(header, separators=(",", ":")).encode("utf-8")
text += b" " * (-len(text) % 8)
with open("pytorch-mlp.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + data)

with open("pytorch-mlp.csv", "w") as f:
    for xi, pi in zip(x.tolist(), p.tolist()):
        f.write(",".join("%.9g" % v for v in xi + pi) + "\n")
print(torch.__version__, {n: list(t.shape) for n, t in state.items()})
