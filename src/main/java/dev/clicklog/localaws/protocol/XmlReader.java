package dev.clicklog.localaws.protocol;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the XML request bodies of the REST-XML protocol (S3) into a small element tree. Request
 * bodies come from callers: any DTD or entity reference is refused, so no external entity,
 * entity expansion or network fetch can be triggered by a body.
 */
public final class XmlReader {

    private static final XMLInputFactory FACTORY = newFactory();

    /** A body that is not well-formed XML, or one that declares a DTD. */
    public static final class MalformedXmlException extends RuntimeException {
        MalformedXmlException(String message) {
            super(message, null, false, false);
        }
    }

    /** One element: its local name (namespace dropped), its own text, and its child elements in order. */
    public record Element(String name, String text, List<Element> children) {

        /** The first child with this local name, or null. */
        public Element child(String childName) {
            for (Element c : children) {
                if (c.name.equals(childName)) {
                    return c;
                }
            }
            return null;
        }

        public List<Element> children(String childName) {
            List<Element> out = new ArrayList<>();
            for (Element c : children) {
                if (c.name.equals(childName)) {
                    out.add(c);
                }
            }
            return out;
        }

        /** The text of the first child with this name, as written (not trimmed); null when absent. */
        public String childText(String childName) {
            Element c = child(childName);
            return c == null ? null : c.text;
        }
    }

    private XmlReader() {
    }

    /** Parses a whole document and returns its root element. */
    public static Element parse(byte[] xml) {
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            Deque<Builder> open = new ArrayDeque<>();
            Element root = null;
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                        throw new MalformedXmlException("DTDs and entity references are not allowed");
                    case XMLStreamConstants.START_ELEMENT -> open.push(new Builder(reader.getLocalName()));
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!open.isEmpty()) {
                            open.peek().text.append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Element done = open.pop().build();
                        if (open.isEmpty()) {
                            root = done;
                        } else {
                            open.peek().children.add(done);
                        }
                    }
                    default -> {
                        // comments, processing instructions and the document start/end carry no data
                    }
                }
            }
            if (root == null) {
                throw new MalformedXmlException("The document has no root element");
            }
            return root;
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof MalformedXmlException m) {
                throw m;
            }
            throw new MalformedXmlException("The XML is not well-formed: " + e.getMessage());
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing left to release for an in-memory source
                }
            }
        }
    }

    private static final class Builder {
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<Element> children = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        Element build() {
            return new Element(name, text.toString(), List.copyOf(children));
        }
    }

    private static XMLInputFactory newFactory() {
        // The JDK's own implementation, whatever else is on the class path.
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }
}
