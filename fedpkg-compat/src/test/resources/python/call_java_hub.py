"""Python client -> Java hub. Usage: call_java_hub.py URL

Calls the Java KojiHubHandler the way the koji CLI's library does (stdlib ServerProxy, allow_none, <i8>
for big ints, kwargs as a __starstar struct) and checks every answer. Prints "PASS <check>" per check;
any failure raises and exits non-zero.
"""
import datetime
import re
import sys
import xmlrpc.client

import kojimarshal

kojimarshal.install()
URL = sys.argv[1]


class HeaderTransport(xmlrpc.client.Transport):
    """Keeps the Koji-Version header of every response (the CLI reads hub_version from it)."""
    versions = []

    def parse_response(self, response):
        self.versions.append(response.getheader("Koji-Version"))
        return super().parse_response(response)


transport = HeaderTransport()
hub = xmlrpc.client.ServerProxy(URL, allow_none=True, transport=transport)
when = xmlrpc.client.DateTime("20250701T12:34:56")
nested = {"nested": {"list": [1, [2, 3], {"x": None}]}, "f": 1.5, "b": True, "big": -2 ** 40}
text = "\u017elu\u0165ou\u010dk\u00fd k\u016f\u0148 <&> \"'"


def check(name, ok, detail=""):
    if not ok:
        raise AssertionError("%s failed: %r" % (name, detail))
    print("PASS", name, flush=True)


def expect_fault(name, code, call, text_check):
    try:
        call()
    except xmlrpc.client.Fault as f:
        check(name, f.faultCode == code and text_check(f.faultString), (f.faultCode, f.faultString))
        return
    raise AssertionError("%s: no fault" % name)


res = hub.echo(None, 2 ** 40, -2 ** 40, when, nested, text, kojimarshal.kw(opt=None, big=2 ** 40, name="n"))
check("echo-args", res["args"][:3] == [None, 2 ** 40, -2 ** 40], res)
check("echo-datetime", isinstance(res["args"][3], xmlrpc.client.DateTime) and res["args"][3].value == when.value, res)
check("echo-nested", res["args"][4] == nested, res)
check("echo-text", res["args"][5] == text, res)
check("echo-kwargs", res["kwargs"] == {"opt": None, "big": 2 ** 40, "name": "n"}, res)

big = hub.big()
check("i8-from-java", big[:3] == [2 ** 40, -2 ** 40, 2 ** 63 - 1] and big[3] is None and big[4] == 2.5, big)
check("struct-from-java", big[5] == {"nested": [{"x": 1}], "empty": {}, "flag": False}, big)

stamp = hub.now()
check("koji-time-string", isinstance(stamp, str)
      and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00", stamp) is not None, stamp)
check("koji-time-parses", datetime.datetime.fromisoformat(stamp).tzinfo is not None, stamp)

expect_fault("fault-action-not-allowed", 1004, hub.fail,
             lambda s: s == "admin permission required (logged in as kojiuser)")
expect_fault("fault-invalid-method", 1000, hub.nosuch, lambda s: s == "Invalid method: nosuch")
expect_fault("fault-parameter-error", 1019, lambda: hub.listTaskOutput(1, kojimarshal.kw(all_volumes=True)),
             lambda s: "got an unexpected keyword argument 'all_volumes'" in s)

# stdlib MultiCall (system.multicall) unpacks [value] and raises fault structs: it checks the shapes
mc = xmlrpc.client.MultiCall(hub)
mc.echo(1)
mc.fail()
mc.echo(kojimarshal.kw(k=None))
results = mc()
check("system-multicall-value", results[0] == {"args": [1], "kwargs": {}}, results[0])
try:
    results[1]
    raise AssertionError("no fault from the second multicall entry")
except xmlrpc.client.Fault as f:
    check("system-multicall-fault", f.faultCode == 1004, f)
check("system-multicall-kwargs", results[2] == {"args": [], "kwargs": {"k": None}}, results[2])

# Koji's own multiCall, raw shapes
raw = hub.multiCall([{"methodName": "echo", "params": [2 ** 40]}, {"methodName": "nosuch", "params": []}])
check("koji-multicall-shapes", raw[0] == [{"args": [2 ** 40], "kwargs": {}}]
      and raw[1]["faultCode"] == 1000 and raw[1]["faultString"] == "Invalid method: nosuch", raw)

try:
    hub.echo(2 ** 63)
    raise AssertionError("2**63 was sent")
except OverflowError:
    check("overflow-beyond-int64", True)

check("koji-version-header", transport.versions and all(v == "1.35.3" for v in transport.versions),
      transport.versions)
print("DONE", flush=True)
