#!/usr/bin/env bash
# Prints N free TCP ports on 127.0.0.1 (space-separated), for scripts that start nodes. Usage: free-ports.sh N
python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()' "${1:-3}"
