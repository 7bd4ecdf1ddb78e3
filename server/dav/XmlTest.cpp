#include "dav/Xml.h"

#include <gtest/gtest.h>

using namespace kiroku::dav;

TEST(Xml, ParsesNamespacesAndText) {
    XmlNode root = parseXml(
        "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><x:a xmlns:x=\"urn:x\">v</x:a>"
        "<b xmlns=\"\"/></D:prop></D:propfind>");
    EXPECT_TRUE(root.is("DAV:", "propfind"));
    const XmlNode* prop = root.child("DAV:", "prop");
    ASSERT_NE(prop, nullptr);
    auto els = prop->elements();
    ASSERT_EQ(els.size(), 2u);
    EXPECT_TRUE(els[0]->is("urn:x", "a"));
    EXPECT_EQ(els[0]->textContent(), "v");
    EXPECT_TRUE(els[1]->is("", "b"));
    // Un-namespaced attributes after namespaced ones stay un-namespaced.
    XmlNode attrs = parseXml("<a xmlns:p=\"urn:p\" p:x=\"1\" y=\"2\"/>");
    ASSERT_EQ(attrs.attrs.size(), 2u);
    EXPECT_EQ(attrs.attrs[0].ns, "urn:p");
    EXPECT_EQ(attrs.attrs[1].ns, "");
}

TEST(Xml, RefusesMalformedAndDoctype) {
    EXPECT_THROW(parseXml("<a><b></a>"), XmlError);
    EXPECT_THROW(parseXml(""), XmlError);
    EXPECT_THROW(parseXml("<a xmlns:p=\"\"><p:b/></a>"), XmlError);
    // External entity (XXE) and entity expansion attacks never reach the parser's entity code.
    EXPECT_THROW(parseXml("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"),
                 XmlError);
    EXPECT_THROW(parseXml("<!DOCTYPE a [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><a>&b;</a>"), XmlError);
}

TEST(Xml, SerialisesSelfContainedFragments) {
    XmlNode root = parseXml("<t:v xmlns:t=\"urn:t\" xmlns:q=\"urn:q\" q:at=\"1\">x &amp; y<foo xmlns=\"bar\"/><t:w/></t:v>");
    std::string s = serializeElement(root);
    EXPECT_EQ(s, "<v xmlns=\"urn:t\" xmlns:a0=\"urn:q\" a0:at=\"1\">x &amp; y<foo xmlns=\"bar\"/><w/></v>");
    // The fragment parses back to the same tree.
    XmlNode again = parseXml(s);
    EXPECT_TRUE(again.is("urn:t", "v"));
    EXPECT_EQ(serializeElement(again), s);
}
