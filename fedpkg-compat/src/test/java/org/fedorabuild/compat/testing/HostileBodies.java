package org.fedorabuild.compat.testing;

/** XML-RPC bodies that attack the parser rather than call the hub. */
public final class HostileBodies {
    public static final String EX_NS = "http://ws.apache.org/xmlrpc/namespaces/extensions";

    private HostileBodies() {
    }

    /** Internal DTD with an external entity reading a local file and one fetching from {@code url}. */
    public static String xxe(String url) {
        return "<?xml version='1.0'?>\n"
                + "<!DOCTYPE methodCall [\n"
                + "  <!ENTITY file SYSTEM \"file:///etc/passwd\">\n"
                + "  <!ENTITY net SYSTEM \"" + url + "\">\n"
                + "]>\n"
                + "<methodCall><methodName>echo</methodName><params>"
                + "<param><value><string>&file;</string></value></param>"
                + "<param><value><string>&net;</string></value></param>"
                + "</params></methodCall>\n";
    }

    /** An external DTD: the stock Apache parser fetches it even with external entities off. */
    public static String externalDtd(String url) {
        return "<?xml version='1.0'?>\n<!DOCTYPE methodCall SYSTEM \"" + url + "\">\n"
                + "<methodCall><methodName>echo</methodName><params/></methodCall>\n";
    }

    /** Ten levels of ten-fold entity expansion: 10^10 "lol"s if expanded. */
    public static String billionLaughs() {
        StringBuilder b = new StringBuilder("<?xml version='1.0'?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n");
        for (int i = 1; i <= 10; i++) {
            b.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                b.append("&lol").append(i - 1).append(';');
            }
            b.append("\">\n");
        }
        b.append("]>\n<methodCall><methodName>echo</methodName><params><param><value><string>&lol10;</string>"
                + "</value></param></params></methodCall>\n");
        return b.toString();
    }

    /** A parameter nested {@code depth} arrays deep. */
    public static String nestedArrays(int depth) {
        return "<?xml version='1.0'?>\n<methodCall><methodName>echo</methodName><params><param>" + nested(depth)
                + "</param></params></methodCall>\n";
    }

    /** A response value nested {@code depth} arrays deep. */
    public static String nestedResponse(int depth) {
        return "<?xml version='1.0'?>\n<methodResponse><params><param>" + nested(depth)
                + "</param></params></methodResponse>\n";
    }

    private static String nested(int depth) {
        return "<value><array><data>".repeat(depth) + "<value><int>1</int></value>"
                + "</data></array></value>".repeat(depth);
    }

    /** A well-formed call whose one string parameter makes the body {@code size} bytes or more. */
    public static String oversized(long size) {
        String head = "<?xml version='1.0'?>\n<methodCall><methodName>echo</methodName><params><param><value><string>";
        String tail = "</string></value></param></params></methodCall>\n";
        int fill = (int) Math.max(0, size - head.length() - tail.length());
        return head + "A".repeat(fill) + tail;
    }

    /** A call whose parameter is Apache's {@code ex:serializable} extension holding a serialized object. */
    public static String serializableCall(String base64) {
        return "<?xml version='1.0'?>\n<methodCall xmlns:ex=\"" + EX_NS + "\"><methodName>echo</methodName><params>"
                + "<param><value><ex:serializable>" + base64 + "</ex:serializable></value></param>"
                + "</params></methodCall>\n";
    }

    /** A response whose value is an {@code ex:serializable}. */
    public static String serializableResponse(String base64) {
        return "<?xml version='1.0'?>\n<methodResponse xmlns:ex=\"" + EX_NS + "\"><params><param><value>"
                + "<ex:serializable>" + base64 + "</ex:serializable></value></param></params></methodResponse>\n";
    }

    /** A fault as Apache XML-RPC servers write it with exceptions enabled: faultCause holds a serialized Throwable. */
    public static String faultWithCause(int code, String message, String base64) {
        return "<?xml version='1.0'?>\n<methodResponse><fault><value><struct>"
                + "<member><name>faultCode</name><value><int>" + code + "</int></value></member>"
                + "<member><name>faultString</name><value><string>" + message + "</string></value></member>"
                + "<member><name>faultCause</name><value><base64>" + base64 + "</base64></value></member>"
                + "</struct></value></fault></methodResponse>\n";
    }
}
