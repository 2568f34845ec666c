#!/usr/bin/env python3
"""Fold meson test logs (testlog.json) into one closing line.

Usage: test-summary.py [--build-failed NAME]... LOG...
Prints each non-passing test, then 'N passed, N failed, N skipped'.
Exits 1 on any failure, or when no test ran at all."""
import json
import sys

PASS = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}

def main(argv):
    passed = failed = skipped = 0
    logs = []
    it = iter(argv)
    for a in it:
        if a == "--build-failed":
            name = next(it)
            print(f"FAIL  build: {name} (see the log above)")
            failed += 1
        else:
            logs.append(a)
    for path in logs:
        try:
            lines = open(path, encoding="utf-8").read().splitlines()
        except OSError as e:
            print(f"FAIL  {path}: {e.strerror}")
            failed += 1
            continue
        for line in lines:
            if not line.strip():
                continue
            t = json.loads(line)
            res, name = t.get("result"), t.get("name")
            if res in PASS:
                passed += 1
            elif res in SKIP:
                skipped += 1
                why = (t.get("stdout") or "").strip().splitlines()
                print(f"SKIP  {name}: {why[-1] if why else 'no reason printed'}")
            else:
                failed += 1
                print(f"FAIL  {name}: {res}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
