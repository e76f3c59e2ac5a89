"""Prints Python's reading of every capture as one canonical line: "<relative path>\t<form>".

The form is unambiguous and line-safe: N (None), B0/B1, I<int>, D<IEEE-754 bits>, S<utf-8 hex>,
Y<bytes hex>, T<dateTime>, L<n>[..,..], M<n>{key=value,..} (keys sorted); a request is C<method><params>,
a response R<value> or F<code>:<string>. The Java test renders its own decoding the same way.
"""
import os
import struct
import sys
import xmlrpc.client


def s(text):
    return "S" + text.encode("utf-8").hex()


def canon(v):
    if v is None:
        return "N"
    if isinstance(v, bool):
        return "B1" if v else "B0"
    if isinstance(v, int):
        return "I%d" % v
    if isinstance(v, float):
        return "D%d" % struct.unpack("<q", struct.pack("<d", v))[0]
    if isinstance(v, str):
        return s(v)
    if isinstance(v, (bytes, bytearray)):
        return "Y" + bytes(v).hex()
    if isinstance(v, xmlrpc.client.Binary):
        return "Y" + v.data.hex()
    if isinstance(v, xmlrpc.client.DateTime):
        return "T" + v.value
    if isinstance(v, (list, tuple)):
        return "L%d[%s]" % (len(v), ",".join(canon(x) for x in v))
    if isinstance(v, dict):
        return "M%d{%s}" % (len(v), ",".join(s(k) + "=" + canon(v[k]) for k in sorted(v)))
    raise TypeError(type(v))


root = sys.argv[1]
for capture in sorted(os.listdir(root)):
    folder = os.path.join(root, capture)
    if not os.path.isdir(folder):
        continue
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith("-request.xml"):
            with open(path, "rb") as f:
                params, method = xmlrpc.client.loads(f.read())
            form = "C" + s(method) + canon(list(params))
        elif name.endswith("-response.xml"):
            with open(path, "rb") as f:
                body = f.read()
            try:
                (value,), _ = xmlrpc.client.loads(body)
                form = "R" + canon(value)
            except xmlrpc.client.Fault as fault:
                form = "F%d:%s" % (fault.faultCode, s(fault.faultString))
        else:
            continue
        print("%s/%s\t%s" % (capture, name, form))
