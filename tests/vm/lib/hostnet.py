#!/usr/bin/env python3
"""Host-side TCP helpers for the VM checks; everything binds/connects to
127.0.0.1 only (QEMU's hostfwd/guestfwd are the only way in or out).

  hostnet.py free-port                      print a free 127.0.0.1 TCP port
  hostnet.py echo-server PORT SECONDS       echo every connection (one line
                                            per connection, prefixed 'echo:')
  hostnet.py exchange PORT SEND EXPECT SECONDS
        connect (retrying: QEMU accepts a hostfwd connection before the guest
        listens, then drops it), send SEND, half-close, read to EOF; exit 0
        iff the reply is EXPECT.
"""
import socket
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def echo_server(port, seconds):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(16)
    srv.settimeout(1)
    end = time.monotonic() + seconds

    def serve(c):
        with c:
            c.settimeout(30)
            data = b""
            try:
                while not data.endswith(b"\n"):
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                c.sendall(b"echo:" + data)
            except OSError:
                pass

    while time.monotonic() < end:
        try:
            c, _ = srv.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def exchange(port, send, expect, seconds):
    end = time.monotonic() + seconds
    got = b""
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
                c.sendall(send.encode() + b"\n")
                c.shutdown(socket.SHUT_WR)
                got = b""
                while True:
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    got += chunk
        except OSError:
            got = b""
        if got:
            break
        time.sleep(0.5)
    ok = got.decode(errors="replace").strip() == expect
    print(f"hostnet: 127.0.0.1:{port} sent {send!r}, got {got!r}: {'ok' if ok else 'MISMATCH'}")
    return 0 if ok else 1


def main(argv):
    if argv[:1] == ["free-port"]:
        print(free_port())
        return 0
    if argv[:1] == ["echo-server"] and len(argv) == 3:
        echo_server(int(argv[1]), float(argv[2]))
        return 0
    if argv[:1] == ["exchange"] and len(argv) == 5:
        return exchange(int(argv[1]), argv[2], argv[3], float(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
