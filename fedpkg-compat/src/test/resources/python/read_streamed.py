"""Reads a streamed downloadTaskOutput-style answer with Python's stdlib client, as koji's CLI does
(base64 text in a string), and prints the length and SHA-256 of the decoded bytes.
Usage: read_streamed.py HUB_URL OFFSET SIZE"""
import base64
import hashlib
import sys
import xmlrpc.client

hub = xmlrpc.client.ServerProxy(sys.argv[1], allow_none=True, use_builtin_types=True)
text = hub.chunk(int(sys.argv[2]), int(sys.argv[3]))
assert isinstance(text, str), type(text)
data = base64.b64decode(text)
print("LEN %d" % len(data))
print("SHA256 %s" % hashlib.sha256(data).hexdigest())
