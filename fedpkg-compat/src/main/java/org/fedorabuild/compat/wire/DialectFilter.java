package org.fedorabuild.compat.wire;

import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;

/**
 * Sits between the SAX parser and the XML-RPC parser: strips namespace prefixes (Python reads
 * {@code <ex:nil/>} as {@code <nil/>}, declared or not) and enforces the nesting bound before the
 * recursive parsers allocate anything for a deeper element.
 */
final class DialectFilter implements ContentHandler {
    static final class TooDeep extends SAXException {
        TooDeep(String message) {
            super(message);
        }
    }

    private final ContentHandler next;
    private final int maxDepth;
    private int depth;

    DialectFilter(ContentHandler next, int maxDepth) {
        this.next = next;
        this.maxDepth = maxDepth;
    }

    private static String local(String qName) {
        int colon = qName.indexOf(':');
        return colon < 0 ? qName : qName.substring(colon + 1);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        if (++depth > maxDepth) {
            throw new TooDeep("XML nesting deeper than " + maxDepth + " elements");
        }
        String name = local(qName);
        next.startElement("", name, name, atts);
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        depth--;
        String name = local(qName);
        next.endElement("", name, name);
    }

    @Override
    public void setDocumentLocator(Locator locator) {
        next.setDocumentLocator(locator);
    }

    @Override
    public void startDocument() throws SAXException {
        next.startDocument();
    }

    @Override
    public void endDocument() throws SAXException {
        next.endDocument();
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) {
        // prefixes are dropped, so their mappings are irrelevant
    }

    @Override
    public void endPrefixMapping(String prefix) {
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        next.characters(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        next.ignorableWhitespace(ch, start, length);
    }

    @Override
    public void processingInstruction(String target, String data) {
    }

    @Override
    public void skippedEntity(String name) throws SAXException {
        throw new SAXException("entity references are not allowed: " + name);
    }
}
