#!/usr/bin/python3
"""Record the kernel's tc notifications (RTNLGRP_TC), raw, to a file.

  nl-record.py OUT    (until SIGTERM; writes OUT.ready once listening)

The file is what dpu-agent --replay reads: whole netlink messages, as the
kernel sent them to the group's listeners.
"""
import signal
import socket
import sys

RTNLGRP_TC = 4
out = open(sys.argv[1], "wb")
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind((0, 1 << (RTNLGRP_TC - 1)))
signal.signal(signal.SIGTERM, lambda *_: (out.close(), sys.exit(0)))
open(sys.argv[1] + ".ready", "w").close()
while True:
    out.write(s.recv(1 << 16))
    out.flush()
