package org.fedorabuild.compat.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.XmlRpcRequest;
import org.apache.xmlrpc.XmlRpcRequestConfig;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.parser.XmlRpcRequestParser;
import org.apache.xmlrpc.parser.XmlRpcResponseParser;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.fedorabuild.compat.fault.KojiFault;
import org.xml.sax.ContentHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * The one XML-RPC codec of the project, used by the hub and by every client: Koji's dialect (see
 * {@link KojiTypeFactory}) on Apache XML-RPC's parsers and writer, behind a hardened SAX parser. No DOCTYPE
 * is accepted at all (so neither external entities, CVE-2016-5002, nor entity expansion bombs), no Java
 * serialization is ever read ({@code ex:serializable} is an unknown type and a fault's {@code faultCause}
 * is ignored, CVE-2016-5003 and CVE-2019-17570), and every body is bounded in bytes and depth.
 * Instances are thread-safe.
 */
public final class KojiCodec {
    private final WireLimits limits;
    private final KojiTypeFactory types = new KojiTypeFactory();
    private final XmlRpcHttpRequestConfigImpl config = types.config();
    private final SAXParserFactory saxFactory;
    /** Making a SAX parser costs more than parsing a small body; each thread reuses its own. */
    private final ThreadLocal<XMLReader> readers = ThreadLocal.withInitial(this::newReader);

    public KojiCodec(WireLimits limits) {
        this.limits = limits;
        config.setEncoding("UTF-8");
        config.setEnabledForExtensions(false);
        this.saxFactory = hardenedFactory();
    }

    public WireLimits limits() {
        return limits;
    }

    private static SAXParserFactory hardenedFactory() {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(false);
        f.setValidating(false);
        f.setXIncludeAware(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser lacks a feature needed to refuse DTDs", e);
        }
        return f;
    }

    public byte[] encodeCall(KojiCall call) {
        List<Object> params = call.wireParams();
        XmlRpcRequest request = new XmlRpcRequest() {
            @Override public XmlRpcRequestConfig getConfig() { return config; }
            @Override public String getMethodName() { return call.method(); }
            @Override public int getParameterCount() { return params.size(); }
            @Override public Object getParameter(int i) { return params.get(i); }
        };
        return write(w -> w.write(request));
    }

    public byte[] encodeResponse(Object value) {
        return write(w -> w.write(config, value));
    }

    /** Bytes {@link #encodeResponse} would give, counted without keeping them or reading any {@link FileBase64}. */
    public long measureResponse(Object value) {
        Utf8XmlWriter xml = Utf8XmlWriter.measuring();
        write(xml, w -> w.write(config, value));
        xml.release();
        return xml.size();
    }

    /**
     * An answer encoded in memory if it is at most {@code cap} bytes ({@link Encoded#bytes}), else only measured
     * ({@code bytes} null): small answers cost one pass, large ones are then {@link #writeResponse written}.
     */
    public Encoded encodeResponse(Object value, long cap) {
        Utf8XmlWriter xml = Utf8XmlWriter.capped(cap);
        write(xml, w -> w.write(config, value));
        if (xml.kept()) {
            byte[] bytes = xml.toUtf8();
            return new Encoded(bytes, bytes.length);
        }
        xml.release();
        return new Encoded(null, xml.size());
    }

    /** An encoded answer, or only its size when it was too large to keep. */
    public record Encoded(byte[] bytes, long size) {
    }

    /**
     * Writes the same bytes as {@link #encodeResponse(Object)} into {@code out} through a buffer of 64 KiB;
     * {@link FileBase64} values are read from their files as they are written. {@code out} is not closed.
     *
     * @throws IOException from {@code out} or from reading a file
     */
    public void writeResponse(Object value, OutputStream out) throws IOException {
        Utf8XmlWriter xml = Utf8XmlWriter.streaming(out);
        try {
            action(xml, w -> w.write(config, value));
            xml.finish();
        } catch (SAXException e) {
            Throwable cause = e.getException() != null ? e.getException() : e;
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalArgumentException("cannot marshal value: " + cause.getMessage(), cause);
        } finally {
            xml.release();
        }
    }

    public byte[] encodeFault(int code, String message) {
        return write(w -> w.write(config, code, message == null ? "" : message));
    }

    public byte[] encodeFault(KojiFault fault) {
        return encodeFault(fault.code(), fault.getMessage());
    }

    /** Reads a {@code methodCall}; keyword arguments are split off the trailing {@code __starstar} struct. */
    public KojiCall decodeCall(InputStream body) throws WireFormatException {
        XmlRpcRequestParser parser = new XmlRpcRequestParser(config, types);
        parse(body, parser);
        if (parser.getMethodName() == null || parser.getMethodName().isBlank()) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, "methodCall without a methodName", null);
        }
        @SuppressWarnings("unchecked")
        List<Object> params = parser.getParams() == null ? List.of() : parser.getParams();
        return KojiCall.fromWire(parser.getMethodName().trim(), params);
    }

    /** Reads a {@code methodResponse}: its value, or the fault it carries thrown as a typed {@link KojiFault}. */
    public Object decodeResponse(InputStream body) throws WireFormatException {
        FaultDroppingResponseParser parser = new FaultDroppingResponseParser(config, types);
        parse(body, parser);
        if (!parser.isSuccess()) {
            throw KojiFault.fromWire(parser.faultCode, parser.faultString);
        }
        try {
            return parser.getResult();
        } catch (XmlRpcException e) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, e.getMessage(), e);
        }
    }

    private void parse(InputStream body, ContentHandler handler) throws WireFormatException {
        BoundedInputStream in = new BoundedInputStream(body, limits.maxBytes());
        try {
            XMLReader reader = readers.get();
            reader.setContentHandler(new DialectFilter(handler, limits.maxDepth()));
            reader.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed: " + systemId);
            });
            reader.parse(new InputSource(in));
        } catch (WireFormatException e) {
            throw e;
        } catch (DialectFilter.TooDeep e) {
            throw new WireFormatException(WireFormatException.Reason.TOO_DEEP, e.getMessage(), null);
        } catch (SAXException e) {
            throw classify(e, in.count());
        } catch (IOException e) {
            if (e.getCause() instanceof WireFormatException w) {
                throw w;
            }
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, "cannot read body: " + e.getMessage(), e);
        }
    }

    private XMLReader newReader() {
        try {
            synchronized (saxFactory) {
                return saxFactory.newSAXParser().getXMLReader();
            }
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot create a SAX parser", e);
        }
    }

    private static WireFormatException classify(SAXException e, long bytesRead) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WireFormatException w) {
                return w;
            }
            if (t instanceof DialectFilter.TooDeep) {
                return new WireFormatException(WireFormatException.Reason.TOO_DEEP, t.getMessage(), null);
            }
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (msg.contains("DOCTYPE")) {
            return new WireFormatException(WireFormatException.Reason.DOCTYPE,
                    "DOCTYPE declarations are not allowed in XML-RPC bodies", null);
        }
        if (bytesRead == 0 || msg.contains("Premature end of file")) {
            return new WireFormatException(bytesRead == 0 ? WireFormatException.Reason.EMPTY
                    : WireFormatException.Reason.MALFORMED, bytesRead == 0 ? "empty body" : "truncated XML body", null);
        }
        String where = e instanceof SAXParseException p ? " (line " + p.getLineNumber() + ", column "
                + p.getColumnNumber() + ")" : "";
        return new WireFormatException(WireFormatException.Reason.MALFORMED, "malformed XML-RPC: " + msg + where, null);
    }

    private interface WriterAction {
        void write(XmlRpcWriter writer) throws SAXException;
    }

    private byte[] write(WriterAction action) {
        Utf8XmlWriter xml = new Utf8XmlWriter();
        write(xml, action);
        return xml.toUtf8();
    }

    private void write(Utf8XmlWriter xml, WriterAction action) {
        try {
            action(xml, action);
        } catch (SAXException e) {
            xml.release();
            Throwable cause = e.getException() != null ? e.getException() : e;
            throw new IllegalArgumentException("cannot marshal value: " + cause.getMessage(), cause);
        }
    }

    private void action(Utf8XmlWriter xml, WriterAction action) throws SAXException {
        action.write(new XmlRpcWriter(config, xml, types));
    }

    /**
     * Apache's response parser deserializes a fault's {@code faultCause} with ObjectInputStream and casts
     * {@code faultCode} to Integer; this one reads only the code (any integer tag) and the string.
     */
    private static final class FaultDroppingResponseParser extends XmlRpcResponseParser {
        int faultCode;
        String faultString;

        FaultDroppingResponseParser(XmlRpcHttpRequestConfigImpl config, KojiTypeFactory types) {
            super(config, types);
        }

        @Override
        protected void addResult(Object result) throws SAXException {
            if (isSuccess()) {
                setResult(result);
                return;
            }
            if (!(result instanceof Map<?, ?> map) || !(map.get("faultCode") instanceof Number code)) {
                throw new SAXParseException("fault without an integer faultCode", getDocumentLocator());
            }
            faultCode = code.intValue();
            Object text = map.get("faultString");
            faultString = text == null ? "" : text.toString();
        }
    }

}
