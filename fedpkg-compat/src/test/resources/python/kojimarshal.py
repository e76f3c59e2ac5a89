"""Koji's marshalling rules for the Python test peers, written for these tests (no Koji code).

Stock xmlrpc.client refuses ints outside int32 (OverflowError). Koji's own marshaller writes them as
<i8>, an Apache XML-RPC extension that Python's parser reads natively. KojiMarshaller does the same:
<int> inside int32, <i8> up to int64, OverflowError beyond. install() makes it the marshaller that
xmlrpc.client.dumps() (used by ServerProxy requests and SimpleXMLRPCServer responses) instantiates.
"""
import xmlrpc.client

INT32 = (-2 ** 31, 2 ** 31 - 1)
INT64 = (-2 ** 63, 2 ** 63 - 1)


class KojiMarshaller(xmlrpc.client.Marshaller):
    dispatch = dict(xmlrpc.client.Marshaller.dispatch)

    def dump_int(self, value, write):
        if not INT64[0] <= value <= INT64[1]:
            raise OverflowError("int exceeds 64-bit XML-RPC limits: %d" % value)
        tag = "int" if INT32[0] <= value <= INT32[1] else "i8"
        write("<value><%s>%d</%s></value>\n" % (tag, value, tag))

    # bool is a subclass of int but has its own dispatch entry, so it keeps <boolean>
    dispatch[int] = dump_int


def install():
    xmlrpc.client.Marshaller = KojiMarshaller


STARSTAR = "__starstar"


def kw(**kwargs):
    """Keyword arguments as Koji sends them: a trailing struct flagged with __starstar."""
    d = dict(kwargs)
    d[STARSTAR] = True
    return d


def split_kwargs(params):
    """The hub side of kw(): (args, kwargs) from a parameter tuple."""
    args = list(params)
    if args and isinstance(args[-1], dict) and args[-1].get(STARSTAR):
        kwargs = dict(args.pop())
        del kwargs[STARSTAR]
        return args, kwargs
    return args, {}
