# simnet's TCP relay (run by TcpRelayProcess, script read from stdin, so /proc/PID/cmdline is only the
# argv[0] the JVM chose, e.g. "nginx: master process nginx -g daemon off;").
# The JVM prepends one line: CONFIG = "<hex of UTF-8 text>", whose lines are
#   comm NAME            the process name /proc/PID/comm shows (ss -p, ps, top)
#   unix PATH            the JVM's Unix domain socket serving each connection
#   listen ADDR PORT     a TCP address to bind and listen on (one line per address)
# It binds every listen address, prints "ready" (or "error ..." and exits 1), then for each accepted
# connection connects to PATH, sends a PROXY protocol v1 line with the real client and local
# addresses, and copies bytes both ways, propagating half-close (FIN) and resets. It exits when its
# parent (the JVM) is gone.
import os
import socket
import sys
import threading
import time

lines = bytes.fromhex(CONFIG).decode("utf-8").splitlines()  # noqa: F821 (prepended by the JVM)
comm = "relay"
upath = None
listen = []
for line in lines:
    f = line.split(" ")
    if f[0] == "comm":
        comm = f[1]
    elif f[0] == "unix":
        upath = line[5:]
    elif f[0] == "listen":
        listen.append((f[1], int(f[2])))

try:
    with open("/proc/self/comm", "w") as c:
        c.write(comm)
except OSError:
    pass


def shut(s, how):
    try:
        s.shutdown(how)
    except OSError:
        pass


def pump(src, dst, done):
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            dst.sendall(b)
        shut(dst, socket.SHUT_WR)
    except OSError:
        # a reset or a write to a closed peer: abort both directions
        shut(src, socket.SHUT_RDWR)
        shut(dst, socket.SHUT_RDWR)
    done.set()


def relay(c, peer):
    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        local = c.getsockname()
        u.connect(upath)
        u.sendall(("PROXY TCP4 %s %s %d %d\r\n" % (peer[0], local[0], peer[1], local[1])).encode("ascii"))
    except OSError:
        c.close()
        u.close()
        return
    upstream = threading.Event()
    threading.Thread(target=pump, args=(c, u, upstream), daemon=True).start()
    pump(u, c, threading.Event())
    # the server closed its side: as nginx's lingering close, wait a while for the client to close too
    if not upstream.wait(30):
        shut(c, socket.SHUT_RDWR)
        shut(u, socket.SHUT_RDWR)
        upstream.wait(5)
    c.close()
    u.close()


def accept_loop(ls):
    while True:
        try:
            c, peer = ls.accept()
        except OSError:
            time.sleep(0.05)
            continue
        threading.Thread(target=relay, args=(c, peer), daemon=True).start()


listeners = []
for addr, port in listen:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((addr, port))
        s.listen(511)
    except OSError as e:
        print("error bind %s:%d: %s" % (addr, port, e.strerror or e), flush=True)
        sys.exit(1)
    listeners.append(s)
if upath is None:
    print("error no unix socket configured", flush=True)
    sys.exit(1)

parent = os.getppid()
for s in listeners:
    threading.Thread(target=accept_loop, args=(s,), daemon=True).start()
print("ready", flush=True)
# nothing more is written: the JVM stops reading these pipes
null = os.open(os.devnull, os.O_RDWR)
os.dup2(null, 1)
os.dup2(null, 2)
while os.getppid() == parent:
    time.sleep(0.5)
os._exit(0)
