"""Opens N keep-alive connections to the token endpoint, one answered request each, then holds them.

Usage: python3 idle.py PORT N SECONDS. Prints "open N" once every connection has had its answer."""
import base64
import socket
import sys
import time

port, n, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
auth = base64.b64encode(b"alice:secret").decode()
request = ("GET /auth?service=registry.local&scope=repository%3Ateam%2Fapp%3Apull HTTP/1.1\r\n"
           f"Host: bench\r\nAuthorization: Basic {auth}\r\n\r\n").encode()
held = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    while len(body) < length:
        body += s.recv(65536)
    held.append(s)
print("open", len(held), flush=True)
time.sleep(hold)
