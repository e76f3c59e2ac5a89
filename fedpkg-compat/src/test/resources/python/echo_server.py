"""Java client -> Python server. Prints the port it listens on, serves until stdin closes.

A stdlib SimpleXMLRPCServer (allow_none) on 127.0.0.1, answering with Koji's <i8> rule. Methods:
echo(*args, **kw) -> {"args": args, "kwargs": kw} (kwargs decoded from the __starstar struct),
types(*args) -> the Python type name of each argument, bad() -> Fault(1002, 'bad'), and multiCall /
system.multicall (stdlib implementation).
"""
import sys
import threading
import xmlrpc.client
from xmlrpc.server import SimpleXMLRPCServer

import kojimarshal

kojimarshal.install()


def echo(*params):
    args, kwargs = kojimarshal.split_kwargs(params)
    return {"args": args, "kwargs": kwargs}


def types(*params):
    return [type(p).__name__ for p in params]


def bad(*params):
    raise xmlrpc.client.Fault(1002, "bad")


server = SimpleXMLRPCServer(("127.0.0.1", 0), allow_none=True, logRequests=False)
server.register_function(echo, "echo")
server.register_function(types, "types")
server.register_function(bad, "bad")
server.register_multicall_functions()
server.register_function(server.system_multicall, "multiCall")
print(server.server_address[1], flush=True)
thread = threading.Thread(target=server.serve_forever, daemon=True)
thread.start()
sys.stdin.read()
server.shutdown()
