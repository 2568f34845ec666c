#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The checked-in case file must be what the spec generates (skip without scapy)."""
import os
import subprocess
import sys
import tempfile

gen, spec, cases = sys.argv[1:4]
try:
    import scapy  # noqa: F401
except ImportError:
    print("scapy not available: skipping")
    sys.exit(77)
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "c.cases")
    subprocess.run([sys.executable, gen, spec, out], check=True)
    a = open(out).read()
    b = open(cases).read()
    if a != b:
        print("FAIL: conformance.cases is stale: run gen_conformance.py conformance.spec conformance.cases")
        sys.exit(1)
print("ok: conformance.cases matches conformance.spec")
