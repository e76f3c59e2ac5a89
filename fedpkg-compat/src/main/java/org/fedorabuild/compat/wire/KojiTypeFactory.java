package org.fedorabuild.compat.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.ws.commons.util.NamespaceContextImpl;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.common.XmlRpcWorkerFactory;
import org.apache.xmlrpc.parser.AtomicParser;
import org.apache.xmlrpc.parser.TypeParser;
import org.apache.xmlrpc.serializer.TypeSerializer;
import org.apache.xmlrpc.serializer.TypeSerializerImpl;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Koji's XML-RPC dialect on Apache XML-RPC's type machinery, with the library's extensions left OFF (so
 * {@code ex:serializable} and friends are refused): {@code <nil/>} and {@code <i8>} without a namespace, as
 * Python's {@code xmlrpc.client} and Koji's marshaller write them; every integer tag read as {@code Long};
 * arrays read as {@code List}; hub times written as Koji's strings.
 */
final class KojiTypeFactory extends TypeFactoryImpl {
    private static final DateTimeFormatter ISO8601 = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss");

    KojiTypeFactory() {
        super(new UtcController());
    }

    /** The stream settings every Koji body is read and written with: UTF-8, UTC, extensions off. */
    XmlRpcHttpRequestConfigImpl config() {
        return ((UtcController) getController()).getConfig();
    }

    @Override
    public TypeSerializer getSerializer(XmlRpcStreamConfig config, Object value) throws SAXException {
        if (value == null) {
            return NIL;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return INT;
        }
        if (value instanceof Long l) {
            return fitsInt(l) ? INT : I8;
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw new SAXException(new IllegalArgumentException("int exceeds XML-RPC limits: " + big));
            }
            return fitsInt(big.longValue()) ? INT : I8;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return DOUBLE;
        }
        if (value instanceof Instant || value instanceof OffsetDateTime || value instanceof ZonedDateTime) {
            return KOJI_TIME;
        }
        if (value instanceof LocalDateTime || value instanceof Date) {
            return DATETIME;
        }
        if (value instanceof Collection<?> c && !(value instanceof List<?>)) {
            return new CollectionSerializer(super.getSerializer(config, List.of()));
        }
        if (value instanceof Enum<?>) {
            return TEXT;
        }
        if (value instanceof FileBase64) {
            return FILE_BASE64;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof byte[]
                || value instanceof Object[] || value instanceof List<?> || value instanceof Map<?, ?>) {
            return super.getSerializer(config, value);
        }
        // Anything else (Serializable, DOM nodes, ...) is not part of Koji's dialect.
        return null;
    }

    @Override
    public TypeParser getParser(XmlRpcStreamConfig config, NamespaceContextImpl context, String uri, String localName) {
        // Namespace prefixes are stripped before we get here, as Python's parser ignores them.
        switch (localName) {
            case "nil":
                return new NilParser();
            case "int": case "i1": case "i2": case "i4": case "i8": case "biginteger":
                return new LongParser();
            case "float": case "bigdecimal":
                // Python reads these as float too; no Koji peer sends them, but being liberal costs nothing.
                return super.getParser(config, context, "", "double");
            case "array":
                return new ListParser(config, context, this);
            default:
                return super.getParser(config, context, "", localName);
        }
    }

    private static boolean fitsInt(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
    }

    private static final TypeSerializer NIL = new TypeSerializerImpl() {
        @Override
        public void write(ContentHandler h, Object o) throws SAXException {
            h.startElement("", VALUE_TAG, VALUE_TAG, ZERO_ATTRIBUTES);
            h.startElement("", "nil", "nil", ZERO_ATTRIBUTES);
            h.endElement("", "nil", "nil");
            h.endElement("", VALUE_TAG, VALUE_TAG);
        }
    };

    private static final TypeSerializer INT = new TypeSerializerImpl() {
        @Override
        public void write(ContentHandler h, Object o) throws SAXException {
            write(h, "int", String.valueOf(((Number) o).longValue()));
        }
    };

    private static final TypeSerializer I8 = new TypeSerializerImpl() {
        @Override
        public void write(ContentHandler h, Object o) throws SAXException {
            write(h, "i8", String.valueOf(((Number) o).longValue()));
        }
    };

    private static final TypeSerializer DOUBLE = new TypeSerializerImpl() {
        @Override
        public void write(ContentHandler h, Object o) throws SAXException {
            double d = ((Number) o).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new SAXException(new IllegalArgumentException("cannot marshal " + d + " as an XML-RPC double"));
            }
            // Python writes repr(float): plain digits, never Java's exponent form.
            String text = new BigDecimal(Double.toString(d)).toPlainString();
            write(h, "double", text.contains(".") ? text : text + ".0");
        }
    };

    private static final TypeSerializer TEXT = new TypeSerializerImpl() {
        @Override
        public void write(ContentHandler h, Object o) throws SAXException {
            write(h, "string", o.toString());
        }
    };

    /** As a String is written ({@code <value>} with bare text), the text streamed from the file. */
    private static final TypeSerializer FILE_BASE64 = new TypeSerializerImpl() {
        @Override
        public void write(ContentHandler h, Object o) throws SAXException {
            FileBase64 file = (FileBase64) o;
            h.startElement("", VALUE_TAG, VALUE_TAG, ZERO_ATTRIBUTES);
            if (h instanceof Utf8XmlWriter xml) {
                xml.base64(file);
            } else {
                try {
                    char[] text = file.readAll().toCharArray();
                    h.characters(text, 0, text.length);
                } catch (java.io.IOException e) {
                    throw new SAXException(e);
                }
            }
            h.endElement("", VALUE_TAG, VALUE_TAG);
        }
    };

    private static final TypeSerializer KOJI_TIME = new TypeSerializerImpl() {
        @Override
        public void write(ContentHandler h, Object o) throws SAXException {
            Instant instant = o instanceof Instant i ? i
                    : o instanceof OffsetDateTime odt ? odt.toInstant() : ((ZonedDateTime) o).toInstant();
            write(h, "string", KojiTime.format(instant));
        }
    };

    private static final TypeSerializer DATETIME = new TypeSerializerImpl() {
        @Override
        public void write(ContentHandler h, Object o) throws SAXException {
            LocalDateTime t = o instanceof LocalDateTime l ? l
                    : LocalDateTime.ofInstant(((Date) o).toInstant(), java.time.ZoneOffset.UTC);
            write(h, "dateTime.iso8601", ISO8601.format(t));
        }
    };

    private static final class CollectionSerializer implements TypeSerializer {
        private final TypeSerializer listSerializer;

        CollectionSerializer(TypeSerializer listSerializer) {
            this.listSerializer = listSerializer;
        }

        @Override
        public void write(ContentHandler h, Object o) throws SAXException {
            listSerializer.write(h, new ArrayList<>((Collection<?>) o));
        }
    }

    private static final class NilParser extends AtomicParser {
        @Override
        protected void setResult(String text) throws SAXException {
            if (!text.isBlank()) {
                throw new SAXParseException("unexpected text in nil element", getDocumentLocator());
            }
            super.setResult((Object) null);
        }
    }

    private static final class LongParser extends AtomicParser {
        @Override
        protected void setResult(String text) throws SAXException {
            String t = text.trim();
            try {
                super.setResult(Long.valueOf(t.startsWith("+") ? t.substring(1) : t));
            } catch (NumberFormatException e) {
                throw new SAXParseException("integer value out of 64-bit range or malformed: '" + abbreviate(t) + "'",
                        getDocumentLocator());
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** The library asks its controller for a time zone when parsing dateTime.iso8601: Koji's is UTC. */
    private static final class UtcController extends XmlRpcController {
        private final XmlRpcHttpRequestConfigImpl config = new XmlRpcHttpRequestConfigImpl();

        UtcController() {
            config.setTimeZone(TimeZone.getTimeZone("UTC"));
        }

        @Override
        protected XmlRpcWorkerFactory getDefaultXmlRpcWorkerFactory() {
            return null;
        }

        @Override
        public XmlRpcHttpRequestConfigImpl getConfig() {
            return config;
        }
    }
}
