package org.fedorabuild.compat.wire;

import java.util.ArrayList;
import java.util.List;
import org.apache.ws.commons.util.NamespaceContextImpl;
import org.apache.xmlrpc.common.TypeFactory;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.parser.RecursiveTypeParserImpl;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** {@code <array><data><value>…</value>…</data></array>} read as a mutable {@code List}, not Object[]. */
final class ListParser extends RecursiveTypeParserImpl {
    private int level;
    private List<Object> list;

    ListParser(XmlRpcStreamConfig config, NamespaceContextImpl context, TypeFactory factory) {
        super(config, context, factory);
    }

    @Override
    public void startDocument() throws SAXException {
        level = 0;
        list = new ArrayList<>();
        super.startDocument();
    }

    @Override
    protected void addResult(Object value) {
        list.add(value);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attrs) throws SAXException {
        switch (level++) {
            case 0 -> expect("array", localName);
            case 1 -> expect("data", localName);
            case 2 -> {
                expect("value", localName);
                startValueTag();
            }
            default -> super.startElement(uri, localName, qName, attrs);
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        switch (--level) {
            case 0 -> setResult(list);
            case 1 -> { }
            case 2 -> endValueTag();
            default -> super.endElement(uri, localName, qName);
        }
    }

    private void expect(String wanted, String got) throws SAXParseException {
        if (!wanted.equals(got)) {
            throw new SAXParseException("expected " + wanted + " element, got " + got, getDocumentLocator());
        }
    }
}
