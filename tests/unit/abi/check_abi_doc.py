#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Prove docs/abi.md matches the ABI headers.

Usage: check_abi_doc.py DOC INCLUDE_DIR CC [CC_ARGS...]

* Every struct with a DPU_ABI_LAYOUT in the headers has a layout table
  (heading "#### struct NAME", a "Size: N bytes." line, then a table with
  columns field | offset | size | type | meaning), listing exactly the fields
  the headers assert, contiguously, up to the size.
* Every value table (columns value | name | ...) row is checked as
  NAME == value, and every opcode, status, item, action and flow-op constant
  of the headers appears in one.
* The offsets, sizes, types and values are compiled against the headers as
  static asserts, so the compiler, not this script, is the judge.
"""
import os
import re
import subprocess
import sys
import tempfile


def cells(line):
    return [c.strip() for c in line.strip().strip('|').split('|')]


def unquote(s):
    return s.strip().strip('`').strip()


def parse_doc(path):
    structs = {}   # name -> dict(size, line, rows=[(field, off, size, type, line)])
    values = []    # (name, value, line)
    cur = None
    size = None
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r'^#{2,5} struct (\w+)\s*$', line)
        if m:
            cur, size = m.group(1), None
            if cur in structs:
                sys.exit(f'{path}:{i+1}: struct {cur} documented twice')
            i += 1
            continue
        m = re.match(r'^Size: (\d+) bytes\.', line)
        if m and cur:
            size = int(m.group(1))
        if line.startswith('|') and i + 1 < len(lines) and \
                re.match(r'^\|\s*-', lines[i + 1]):
            head = [h.lower() for h in cells(line)]
            body = []
            j = i + 2
            while j < len(lines) and lines[j].startswith('|'):
                body.append((cells(lines[j]), j + 1))
                j += 1
            if head[:5] == ['field', 'offset', 'size', 'type', 'meaning']:
                if not cur or size is None:
                    sys.exit(f'{path}:{i+1}: layout table without a '
                             '"#### struct NAME" heading and "Size:" line')
                rows = []
                for c, ln in body:
                    sz = c[2]
                    rows.append((unquote(c[0]), int(c[1], 0),
                                 None if not sz.isdigit() else int(sz),
                                 unquote(c[3]), ln))
                structs[cur] = {'size': size, 'line': i + 1, 'rows': rows}
                cur = None
            elif head[:2] == ['value', 'name']:
                for c, ln in body:
                    values.append((unquote(c[1]), c[0].strip('`'), ln))
            i = j
            continue
        i += 1
    return structs, values


def parse_headers(inc):
    layouts, fields, consts = {}, {}, set()
    for h in sorted(os.listdir(inc)):
        if not h.endswith('.h'):
            continue
        src = open(os.path.join(inc, h), encoding='utf-8').read()
        for s, n in re.findall(r'DPU_ABI_LAYOUT\(struct (\w+), (\d+)\)', src):
            layouts[s] = int(n)
        for s, f, o in re.findall(
                r'DPU_ABI_FIELD\(struct (\w+), (\w+), (\d+)\)', src):
            fields.setdefault(s, {})[f] = int(o)
        for c in re.findall(
                r'^\s*(DPU_ABI_(?:OP|E|ITEM|ACT|FLOW)_\w+|DPU_ABI_OK)\s*=',
                src, re.M):
            if not c.endswith('_MAX') and c != 'DPU_ABI_E_PROTO_LAST':
                consts.add(c)
    return layouts, fields, consts


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    doc, inc, cc = sys.argv[1], sys.argv[2], sys.argv[3:]
    structs, values = parse_doc(doc)
    layouts, fields, consts = parse_headers(inc)
    errs = []
    for s in sorted(layouts):
        if s not in structs:
            errs.append(f'{doc}: struct {s} has no layout table')
            continue
        d = structs[s]
        names = [r[0] for r in d['rows']]
        want = set(fields.get(s, {}))
        if set(names) != want:
            errs.append(f'{doc}:{d["line"]}: struct {s} fields differ: '
                        f'missing {sorted(want - set(names))}, '
                        f'unknown {sorted(set(names) - want)}')
        end = 0
        for f, off, sz, _, ln in d['rows']:
            if off != end:
                errs.append(f'{doc}:{ln}: {s}.{f} at {off}, previous field '
                            f'ends at {end} (gap or overlap)')
            end = off + (sz or 0)
        if end != d['size']:
            errs.append(f'{doc}:{d["line"]}: {s} fields end at {end}, '
                        f'size {d["size"]}')
    for s in structs:
        if s not in layouts:
            errs.append(f'{doc}:{structs[s]["line"]}: struct {s} is not in '
                        'the headers')
    named = {n for n, _, _ in values}
    for c in sorted(consts - named):
        errs.append(f'{doc}: constant {c} is in no value table')
    if errs:
        print('\n'.join(errs))
        return 1

    c = ['#include <stddef.h>', '#include "dpu_abi.h"', '']
    n_fields = 0
    for s, d in sorted(structs.items()):
        c.append(f'static_assert(sizeof(struct {s}) == {d["size"]}, '
                 f'"{doc}:{d["line"]}: sizeof(struct {s})");')
        for f, off, sz, typ, ln in d['rows']:
            m = f'(((struct {s} *)0)->{f})'
            c.append(f'static_assert(offsetof(struct {s}, {f}) == {off}, '
                     f'"{doc}:{ln}: {s}.{f} offset");')
            if sz is not None:
                c.append(f'static_assert(sizeof{m} == {sz}, '
                         f'"{doc}:{ln}: {s}.{f} size");')
            c.append(f'static_assert(__builtin_types_compatible_p('
                     f'__typeof__{m}, {typ}), "{doc}:{ln}: {s}.{f} type");')
            n_fields += 1
    for n, v, ln in values:
        c.append(f'static_assert((long long)({n}) == (long long)({v}), '
                 f'"{doc}:{ln}: {n} value");')
    c.append('int main(void) { return 0; }')
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'abi_doc_check.c')
        open(src, 'w').write('\n'.join(c) + '\n')
        r = subprocess.run(cc + ['-std=c17', '-D_GNU_SOURCE', '-fsyntax-only',
                                 '-I', inc, src],
                           capture_output=True, text=True)
    if r.returncode:
        print(r.stdout + r.stderr)
        print('docs and headers disagree (see static assert messages above)')
        return 1
    print(f'ok: {len(structs)} structs, {n_fields} fields, {len(values)} '
          f'constants in {doc} match the headers')
    return 0


if __name__ == '__main__':
    sys.exit(main())
