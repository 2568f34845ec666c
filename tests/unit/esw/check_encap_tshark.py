#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run the conformance cases, then let tshark dissect what the eSwitch
encapsulated: it must be valid VXLAN/GENEVE with the right VNI, valid
outer checksums and the original inner frame.

usage: check_encap_tshark.py RUNNER CASES
"""
import os
import shutil
import subprocess
import sys
import tempfile

FIELDS = ["frame.protocols", "vxlan.vni", "geneve.vni", "geneve.option.class",
          "ip.dst", "ipv6.dst", "tcp.dstport", "udp.checksum.status",
          "ip.checksum.status"]

# pcap -> expected field values (substring match on the tshark output)
EXPECT = {
    "vxlan_encap_1.pcap": {"frame.protocols": "eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp",
                           "vxlan.vni": "1", "ip.dst": "192.0.2.2,10.0.0.2",
                           "tcp.dstport": "80", "ip.checksum.status": "1,1"},
    "vxlan_encap_100.pcap": {"vxlan.vni": "100", "ip.dst": "192.0.2.2,10.0.0.2"},
    "vxlan_encap_4096.pcap": {"vxlan.vni": "4096"},
    "vxlan_encap_16777214.pcap": {"vxlan.vni": "16777214"},
    "vxlan6_encap.pcap": {"frame.protocols": "eth:ethertype:ipv6:udp:vxlan:eth:ethertype:ip:tcp",
                          "vxlan.vni": "77", "ipv6.dst": "2001:db8::b",
                          "udp.checksum.status": "1", "ip.dst": "10.0.0.2"},
    "geneve_encap.pcap": {"frame.protocols": "eth:ethertype:ip:udp:geneve:eth:ethertype:ip:tcp",
                          "geneve.vni": "0x001092", "geneve.option.class": "0x0102",
                          "ip.dst": "192.0.2.2,10.0.0.2", "tcp.dstport": "80"},
    "geneve_encap_noopt.pcap": {"frame.protocols": "eth:ethertype:ip:udp:geneve:eth:ethertype:ipv6:tcp",
                                "geneve.vni": "0x000009", "ipv6.dst": "2001:db8::2"},
}


def main():
    runner, cases = sys.argv[1], sys.argv[2]
    tshark = shutil.which("tshark")
    if tshark is None:
        print("tshark not installed: skipping")
        return 77
    tmp = tempfile.mkdtemp(prefix="esw_tshark_")
    try:
        r = subprocess.run([runner, cases, tmp], capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout[-2000:], r.stderr[-2000:])
            print("FAIL: conformance runner failed")
            return 1
        failed = 0
        for pcap, exp in sorted(EXPECT.items()):
            path = os.path.join(tmp, pcap)
            if not os.path.exists(path):
                print("FAIL: %s not written" % pcap)
                failed += 1
                continue
            cmd = [tshark, "-r", path, "-o", "udp.check_checksum:TRUE",
                   "-o", "ip.check_checksum:TRUE", "-T", "fields"]
            for f in FIELDS:
                cmd += ["-e", f]
            out = subprocess.run(cmd, capture_output=True, text=True).stdout
            lines = [l for l in out.splitlines() if l.strip()]
            if len(lines) != 1:
                print("FAIL: %s: %d frames" % (pcap, len(lines)))
                failed += 1
                continue
            got = dict(zip(FIELDS, lines[0].split("\t")))
            for k, v in exp.items():
                ok = got.get(k, "") == v
                print("%s %s: %s = %r (want %r)" % ("ok" if ok else "FAIL", pcap, k,
                                                   got.get(k), v))
                failed += not ok
        print("tshark encap checks: %d failed" % failed)
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
