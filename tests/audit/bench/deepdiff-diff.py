#!/usr/bin/env python3
"""deepdiff-based diff of two snapshots' objects (no normalization), for the benchmark."""
import json, sys
from deepdiff import DeepDiff
a = json.load(open(sys.argv[1]))["objects"]
b = json.load(open(sys.argv[2]))["objects"]
d = DeepDiff(a, b, ignore_order=False, view="tree")
print({k: len(v) for k, v in d.items()})
