"""The XML codec (werobot_core.xmlcodec): parsing pushes, hardening, rendering replies."""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.parsers import expat

import defusedxml.ElementTree
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.vectors import VECTORS

from werobot_core import xmlcodec
from werobot_core.exceptions import BadRequest
from werobot_core.xmlcodec import XmlOut, XmlValue, parse_xml, remove_illegal_chars, render_xml

XML_VECTORS = VECTORS / "xml"

# Characters XML 1.0 cannot carry (besides lone surrogates).
ILLEGAL = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff"

TEXT_PUSH = (
    b"<xml>\n"
    b"  <ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>\n"
    b"  <FromUserName><![CDATA[oUser_0123456789]]></FromUserName>\n"
    b"  <CreateTime>1700000000</CreateTime>\n"
    b"  <MsgType><![CDATA[text]]></MsgType>\n"
    b"  <Content><![CDATA[\xe4\xbd\xa0\xe5\xa5\xbd world]]></Content>\n"
    b"  <MsgId>1234567890123456</MsgId>\n"
    b"</xml>\n"
)
#: TEXT_PUSH's children, written by hand.
TEXT_PUSH_FIELDS: dict[str, XmlValue] = {
    "ToUserName": "gh_0123456789ab",
    "FromUserName": "oUser_0123456789",
    "CreateTime": "1700000000",
    "MsgType": "text",
    "Content": "你好 world",
    "MsgId": "1234567890123456",
}


def reason_of(body: bytes | str) -> str:
    with pytest.raises(BadRequest) as caught:
        parse_xml(body)
    assert caught.value.status == 400
    return caught.value.reason


# --- parsing -----------------------------------------------------------------------------


def test_parse_a_text_push() -> None:
    assert parse_xml(TEXT_PUSH) == TEXT_PUSH_FIELDS


def test_parse_accepts_str_like_bytes() -> None:
    assert parse_xml(TEXT_PUSH.decode("utf-8")) == parse_xml(TEXT_PUSH)


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("<A>plain</A>", "plain"),
        ("<A>  padded \n</A>", "  padded \n"),  # a leaf's text is verbatim, never stripped
        ("<A> </A>", " "),
        ("<A>  <![CDATA[video]]></A>", "video"),  # whitespace formatting CDATA is dropped
        ("<A> <![CDATA[ v ]]>\n </A>", " v "),  # the CDATA itself is verbatim
        ("<A>x <![CDATA[v]]></A>", "x v"),  # other text is joined, verbatim
        ("<A><![CDATA[a]]> <![CDATA[b]]></A>", "a b"),  # between sections: kept
        ("<A>\n <![CDATA[a]]> <![CDATA[b]]>\n</A>", "a b"),  # the same, padded
        ("<A><![CDATA[a]]>b<![CDATA[c]]></A>", "abc"),
        ("<A><![CDATA[<b>&amp;</b>]]></A>", "<b>&amp;</b>"),  # CDATA is not interpreted
        ("<A>&lt;&amp;&gt;&quot;&apos;</A>", "<&>\"'"),
        ("<A>&#20320;&#x597D;</A>", "你好"),
        ("<A>a<!-- comment -->b</A>", "ab"),
        ("<A>a<?pi data?>b</A>", "ab"),
        ("<A>x\r\ny\rz</A>", "x\ny\nz"),  # XML line-end normalisation
        ("<A>x&#13;y</A>", "x\ry"),
        ("<A/>", None),
        ("<A></A>", None),
        ("<A><![CDATA[]]></A>", None),
        ('<A attr="ignored">v</A>', "v"),
    ],
)
def test_parse_leaf_values(inner: str, expected: str | None) -> None:
    assert parse_xml(f"<xml>{inner}</xml>") == {"A": expected}


def test_parse_nested_and_repeated_elements() -> None:
    body = """<xml>
        <ArticleCount>2</ArticleCount>
        <Articles>
            <item><Title><![CDATA[one]]></Title><Url><![CDATA[u1]]></Url></item>
            <item><Title><![CDATA[two]]></Title><Url/></item>
        </Articles>
        <SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum>abc</PicMd5Sum></item></PicList>
        </SendPicsInfo>
        <Tag>a</Tag><Other/><Tag>b</Tag><Tag><Inner>c</Inner></Tag>
    </xml>"""
    assert parse_xml(body) == {
        "ArticleCount": "2",
        "Articles": {"item": [{"Title": "one", "Url": "u1"}, {"Title": "two", "Url": None}]},
        "SendPicsInfo": {"Count": "1", "PicList": {"item": {"PicMd5Sum": "abc"}}},
        "Tag": ["a", "b", {"Inner": "c"}],  # repeats keep document order
        "Other": None,
    }


def test_parse_ignores_text_beside_child_elements() -> None:
    assert parse_xml("<xml>root text<A>stray<B>b</B>tail</A>more</xml>") == {"A": {"B": "b"}}


def test_parse_of_a_root_without_children_is_empty() -> None:
    assert parse_xml("<xml/>") == {}
    assert parse_xml("<xml>just text</xml>") == {}


def test_parse_accepts_declaration_bom_and_comments_around_the_root() -> None:
    body = b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><xml><A>1</A></xml>\n'
    assert parse_xml(body) == {"A": "1"}


def test_parse_reads_utf8_whatever_the_declaration_says() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><xml><A>中文é</A></xml>'.encode()
    assert parse_xml(body) == {"A": "中文é"}


@pytest.mark.parametrize(
    "body",
    [
        '<?xml version="1.0" encoding="GBK"?><xml><A>中文</A></xml>'.encode("gbk"),
        "<xml><A>é</A></xml>".encode("latin-1"),
        "<xml><A>x</A></xml>".encode("utf-16"),
        "<xml><A>中</A></xml>".encode("utf-16-le"),
        "<xml><A>中</A></xml>".encode("utf-16-be"),
        "<xml><A>x</A></xml>".encode("utf-32"),
        b"\x00<xml/>",
    ],
)
def test_parse_refuses_bodies_that_are_not_utf8(body: bytes) -> None:
    assert reason_of(body) == "body is not UTF-8"


@pytest.mark.parametrize("body", [b"", b"   \n\t ", "", b"\x01\x02\x00", "\x00\x0b\x1f"])
def test_parse_refuses_an_empty_body(body: bytes | str) -> None:
    assert reason_of(body) == "empty body"


@pytest.mark.parametrize(
    ("body", "expat_message"),
    [
        (b"not xml", "syntax error"),
        (b"<xml>", "no element found"),
        (b"<xml><A></B></xml>", "mismatched tag"),
        (b"<xml></xml><xml></xml>", "junk after document element"),
        (b"<xml><A>&xxe;</A></xml>", "undefined entity"),
        (b"<xml><A>&#1;</A></xml>", "reference to invalid character number"),
        (b"<xml><A>a & b</A></xml>", "not well-formed (invalid token)"),
        (b"<xml><A><![CDATA[x</A></xml>", "unclosed CDATA section"),
    ],
)
def test_parse_refuses_malformed_xml(body: bytes, expat_message: str) -> None:
    # expat's message, then where it stopped
    assert reason_of(body).startswith(f"malformed XML: {expat_message}: line 1, column ")


def test_parse_reports_malformed_xml_after_dropping_control_characters() -> None:
    # the position is in the cleaned body
    assert reason_of(b"<xml>\x01<A></xml>").startswith("malformed XML: mismatched tag: line 1")


@pytest.mark.parametrize("body", [b"<root><A>x</A></root>", b"<XML/>", b"<xmlx/>", b"<x:xml/>"])
def test_parse_refuses_another_root(body: bytes) -> None:
    assert reason_of(body) == "root element is not <xml>"


def test_parse_drops_control_characters_users_type() -> None:
    body = "<xml><Content><![CDATA[a\x00b\x08c\x0bd\x1fe\ufffef\uffffg]]></Content></xml>"
    assert parse_xml(body.encode("utf-8")) == {"Content": "abcdefg"}
    assert parse_xml(body) == {"Content": "abcdefg"}


def test_parse_keeps_tab_newline_del_and_c1_characters() -> None:
    body = "<xml><Content><![CDATA[\ta\nb\x7fc\x85d\U0010ffff]]></Content></xml>"
    assert parse_xml(body.encode("utf-8")) == {"Content": "\ta\nb\x7fc\x85d\U0010ffff"}


def test_parse_drops_lone_surrogates_from_str_bodies() -> None:
    assert parse_xml("<xml><A>a\ud800b\udfffc</A></xml>") == {"A": "abc"}


def test_parse_drops_control_characters_anywhere() -> None:
    assert parse_xml(b"<x\x01ml><A\x02>v</A\x02></xml\x03>") == {"A": "v"}


def test_parse_limits_nesting_depth() -> None:
    def nested(depth: int) -> bytes:
        return b"<xml>" + b"<a>" * depth + b"x" + b"</a>" * depth + b"</xml>"

    value: XmlValue = parse_xml(nested(32))
    for _ in range(31):
        assert isinstance(value, dict)
        value = value["a"]
    assert value == {"a": "x"}
    assert reason_of(nested(33)) == "XML nested deeper than 32 levels"
    assert reason_of(nested(50_000)) == "XML nested deeper than 32 levels"


def test_parse_does_not_process_xinclude() -> None:
    body = (
        '<xml xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<xi:include href="file:///etc/passwd" parse="text"/></xml>'
    )
    assert parse_xml(body) == {"xi:include": None}


# --- hardening: the same attack corpus through parse_xml and defusedxml ------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]><xml><Content>&lol9;</Content></xml>"
)
QUADRATIC_BLOWUP = (
    f'<!DOCTYPE xml [<!ENTITY a "{"a" * 20_000}">]><xml><Content>{"&a;" * 500}</Content></xml>'
)
XXE_FILE = (
    '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>'
)
XXE_HTTP = (
    '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>'
    "<xml><Content>&xxe;</Content></xml>"
)
PARAMETER_ENTITY = (
    '<!DOCTYPE xml [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>'
    "<xml><A>x</A></xml>"
)
PARAMETER_ENTITY_INTERNAL = (
    "<!DOCTYPE xml [<!ENTITY % p \"<!ENTITY x 'boom'>\"> %p;]><xml><A>&x;</A></xml>"
)
EXTERNAL_DTD = '<!DOCTYPE xml SYSTEM "http://127.0.0.1:9/evil.dtd"><xml><A>x</A></xml>'
EXTERNAL_DTD_PUBLIC = '<!DOCTYPE xml PUBLIC "-//EVIL//DTD" "file:///etc/passwd"><xml/>'
DOCTYPE_ONLY = "<!DOCTYPE xml><xml><Content>x</Content></xml>"
INTERNAL_ENTITY = '<!DOCTYPE xml [<!ENTITY n "value">]><xml><Content>&n;</Content></xml>'
UNPARSED_ENTITY = (
    '<!DOCTYPE xml [<!NOTATION n SYSTEM "x"><!ENTITY u SYSTEM "http://127.0.0.1:9/" NDATA n>]>'
    "<xml/>"
)
AFTER_PROLOG = (
    '<?xml version="1.0" encoding="utf-8"?><!-- <xml> --><?pi x?>\n'
    '<!DOCTYPE xml [<!ENTITY n "value">]><xml><Content>&n;</Content></xml>'
)

DTD_ATTACKS = {
    "billion laughs": BILLION_LAUGHS,
    "quadratic blowup": QUADRATIC_BLOWUP,
    "XXE file://": XXE_FILE,
    "XXE http://": XXE_HTTP,
    "parameter entity, external": PARAMETER_ENTITY,
    "parameter entity, internal": PARAMETER_ENTITY_INTERNAL,
    "external DTD": EXTERNAL_DTD,
    "external DTD, PUBLIC": EXTERNAL_DTD_PUBLIC,
    "DOCTYPE only": DOCTYPE_ONLY,
    "internal entity": INTERNAL_ENTITY,
    "unparsed entity": UNPARSED_ENTITY,
    "DOCTYPE after a prolog": AFTER_PROLOG,
}
OTHER_ATTACKS = {
    "undefined entity without DTD": (b"<xml><A>&xxe;</A></xml>", "malformed XML: undefined entity"),
    "XXE in UTF-16": (XXE_FILE.encode("utf-16"), "body is not UTF-8"),
    "XXE in UTF-16, declared": (
        ('<?xml version="1.0" encoding="UTF-16"?>' + XXE_FILE).encode("utf-16"),
        "body is not UTF-8",
    ),
    "DOCTYPE hidden by a control character": (
        b"<!DOC\x01TYPE xml [<!ENTITY n 'v'>]><xml><A>&n;</A></xml>",
        "DTD and entities are not allowed",
    ),
}


@pytest.mark.parametrize("attack", DTD_ATTACKS.values(), ids=DTD_ATTACKS.keys())
def test_dtd_attacks_are_refused_like_defusedxml(attack: str) -> None:
    # defusedxml refuses DTDs only with forbid_dtd=True; with it, both refuse everything here.
    with pytest.raises((ValueError, ET.ParseError)):  # defusedxml's errors are ValueErrors
        defusedxml.ElementTree.fromstring(attack, forbid_dtd=True)
    assert reason_of(attack) == "DTD and entities are not allowed"
    assert reason_of(attack.encode("utf-8")) == "DTD and entities are not allowed"


@pytest.mark.parametrize(
    "attack", [a for a in DTD_ATTACKS.values() if a not in (BILLION_LAUGHS, QUADRATIC_BLOWUP)]
)
def test_the_dtd_corpus_is_well_formed_so_refusal_is_hardening(attack: str) -> None:
    expat.ParserCreate().Parse(attack, True)  # a bare parser accepts it


@pytest.mark.parametrize(("attack", "reason"), OTHER_ATTACKS.values(), ids=OTHER_ATTACKS.keys())
def test_other_attacks_are_refused_like_defusedxml(attack: bytes, reason: str) -> None:
    with pytest.raises((ValueError, ET.ParseError)):
        defusedxml.ElementTree.fromstring(attack, forbid_dtd=True)
    assert reason_of(attack).startswith(reason)


# --- the shared sample pushes, against ElementTree as an oracle --------------------------


def _oracle(element: ET.Element) -> XmlValue:
    """ElementTree's view, with the whitespace around CDATA dropped (no sample's CDATA
    starts or ends with whitespace, so stripping the whole text is the same there)."""
    if len(element) == 0:
        return (element.text or "").strip(" \t\n") or None
    result: dict[str, list[XmlValue]] = {}
    for child in element:
        result.setdefault(child.tag, []).append(_oracle(child))
    return {tag: values[0] if len(values) == 1 else values for tag, values in result.items()}


def _vector_files() -> list[Path]:
    return sorted(XML_VECTORS.rglob("*.xml")) if XML_VECTORS.is_dir() else []


def test_every_shared_sample_parses_like_elementtree() -> None:
    files = _vector_files()
    if not files:
        pytest.skip("shared vectors are absent")
    for path in files:
        body = path.read_bytes()
        root = defusedxml.ElementTree.fromstring(body, forbid_dtd=True)
        assert parse_xml(body) == (_oracle(root) or {}), path.name


# --- rendering ---------------------------------------------------------------------------


def test_render_a_text_reply() -> None:
    rendered = render_xml(
        [
            ("ToUserName", "oUser"),
            ("FromUserName", "gh_robot"),
            ("CreateTime", 1700000000),
            ("MsgType", "text"),
            ("Content", "你好"),
        ]
    )
    assert rendered == (
        b"<xml><ToUserName><![CDATA[oUser]]></ToUserName>"
        b"<FromUserName><![CDATA[gh_robot]]></FromUserName>"
        b"<CreateTime>1700000000</CreateTime>"
        b"<MsgType><![CDATA[text]]></MsgType>"
        b"<Content><![CDATA[\xe4\xbd\xa0\xe5\xa5\xbd]]></Content></xml>"
    )


def test_render_nested_repeated_and_empty_elements() -> None:
    elements: list[tuple[str, XmlOut]] = [
        ("ArticleCount", 2),
        ("Articles", [("item", [("Title", "a"), ("PicUrl", None)]), ("item", [("Title", "b")])]),
        ("Music", []),
        ("Empty", None),
        ("Zero", 0),
        ("Negative", -5),
        ("Flag", True),
    ]
    assert render_xml(elements) == (
        b"<xml><ArticleCount>2</ArticleCount><Articles>"
        b"<item><Title><![CDATA[a]]></Title><PicUrl></PicUrl></item>"
        b"<item><Title><![CDATA[b]]></Title></item></Articles>"
        b"<Music></Music><Empty></Empty><Zero>0</Zero><Negative>-5</Negative><Flag>1</Flag></xml>"
    )


def test_render_nothing() -> None:
    assert render_xml([]) == b"<xml></xml>"
    assert parse_xml(render_xml([])) == {}


@pytest.mark.parametrize(
    ("text", "cdata"),
    [
        ("]]>", b"<![CDATA[]]]]><![CDATA[>]]>"),
        ("a]]>b]]>c", b"<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>c]]>"),
        ("]]]>>", b"<![CDATA[]]]]]><![CDATA[>>]]>"),
        ("]]", b"<![CDATA[]]]]>"),
        ("a\rb", b"<![CDATA[a]]>&#13;<![CDATA[b]]>"),
        ("a\x00b\x1f\ufffec\ud800", b"<![CDATA[abc]]>"),
        ("]]\x00>", b"<![CDATA[]]]]><![CDATA[>]]>"),  # dropping \x00 makes a "]]>"
        ("]]\r>", b"<![CDATA[]]]]>&#13;<![CDATA[>]]>"),
        ("", b"<![CDATA[]]>"),
        ("<b>&amp;</b>", b"<![CDATA[<b>&amp;</b>]]>"),
    ],
)
def test_render_text_in_cdata(text: str, cdata: bytes) -> None:
    rendered = render_xml([("Content", text)])
    assert rendered == b"<xml><Content>" + cdata + b"</Content></xml>"
    assert parse_xml(rendered) == {"Content": remove_illegal_chars(text) or None}


@pytest.mark.parametrize("tag", ["", "a b", "1a", "<a>", "a>b", "中文", "a/b", "a-b"])
def test_render_refuses_bad_tag_names(tag: str) -> None:
    with pytest.raises(ValueError, match="invalid XML tag name"):
        render_xml([(tag, "x")])
    with pytest.raises(ValueError, match="invalid XML tag name"):
        render_xml([("Outer", [(tag, None)])])


def test_remove_illegal_chars() -> None:
    assert remove_illegal_chars("a\x00\tb\n\rc\x7f\ud800\ufffe\uffff\U00010000") == (
        "a\tb\n\rc\x7f\U00010000"
    )


# --- properties --------------------------------------------------------------------------

xml_legal_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=ILLEGAL))
tricky_pieces = st.sampled_from(["]]>", "]]", ">", "]", "\r", "\r\n", "\x00", "\ufffe", "\ud800"])
any_text = st.lists(st.one_of(st.text(st.characters(exclude_categories=())), tricky_pieces)).map(
    "".join
)


@given(xml_legal_text)
@example("")
@example("\r\n\r")
@example(" ")
def test_legal_text_round_trips(text: str) -> None:
    parsed = parse_xml(render_xml([("Content", text)]))
    assert parsed == {"Content": text if text else None}  # "" comes back as None


@given(any_text)
@example("]]>\x00]]>")
@example("]]\x00>\r]]\r>")
def test_any_text_renders_well_formed_without_illegal_characters(text: str) -> None:
    rendered = render_xml([("Content", text)])
    ET.fromstring(rendered)  # an independent parser accepts it
    expected = "".join(c for c in text if c not in ILLEGAL and not "\ud800" <= c <= "\udfff")
    assert parse_xml(rendered) == {"Content": expected or None}


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "item"]), xml_legal_text.filter(bool))))
def test_repeated_tags_group_into_lists_in_order(pairs: list[tuple[str, str]]) -> None:
    expected: dict[str, list[str]] = {}
    for tag, text in pairs:
        expected.setdefault(tag, []).append(text)
    parsed = parse_xml(render_xml([("Outer", list(pairs))]))
    outer = {tag: v[0] if len(v) == 1 else v for tag, v in expected.items()} or None
    assert parsed == {"Outer": outer}


@given(st.binary(max_size=200))
@example(b"<xml>\x00")
def test_any_bytes_parse_or_raise_bad_request(body: bytes) -> None:
    try:
        result = parse_xml(body)
    except BadRequest:
        return
    assert isinstance(result, dict)


@given(st.integers(min_value=0, max_value=len(TEXT_PUSH) - 1), st.binary(min_size=1, max_size=4))
def test_corrupted_pushes_parse_or_raise_bad_request(position: int, junk: bytes) -> None:
    body = TEXT_PUSH[:position] + junk + TEXT_PUSH[position + len(junk) :]
    try:
        result = parse_xml(body)
    except BadRequest:
        return
    assert isinstance(result, dict)


# --- the flat fast path agrees with the full parser ---------------------------------------

_TAGS = st.sampled_from(["ToUserName", "Content", "MsgId", "Event", "A", "b.c"])
_XML_TEXT = xml_legal_text
_PAD = st.sampled_from(["", " ", "\n  ", "\t"])


@st.composite
def _flat_push(draw: st.DrawFn) -> bytes:
    """A flat push: each child CDATA (maybe padded), escaped text, empty or self-closed."""
    parts = []
    for tag in draw(st.lists(_TAGS, max_size=8)):
        text = draw(_XML_TEXT)
        form = draw(st.sampled_from(["cdata", "text", "empty", "closed"]))
        if form == "cdata":
            cdata = render_xml([("X", text)])[len(b"<xml><X>") : -len(b"</X></xml>")].decode()
            pad = draw(_PAD)
            parts.append(f"{draw(_PAD)}<{tag}>{pad}{cdata}{pad}</{tag}>")
        elif form == "text":
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#13;")
            escaped = escaped.replace(">", "&gt;")  # "]]>" may not stand in XML text
            parts.append(f"<{tag}>{escaped}</{tag}>")
        else:
            parts.append(f"<{tag}></{tag}>" if form == "empty" else f"<{tag}/>")
    return ("<xml>" + "".join(parts) + draw(_PAD) + "</xml>").encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(_flat_push())
def test_the_flat_fast_path_gives_what_the_full_parser_gives(body: bytes) -> None:
    full = xmlcodec._to_value
    tree = xmlcodec._parse_tree(body)
    try:
        expected = full(tree, 1, xmlcodec._unmarked_text)
    except xmlcodec._PaddedText:
        expected = full(xmlcodec._parse_tree(body, mark_cdata=True), 1, xmlcodec._leaf_text)
    assert parse_xml(body) == expected


def test_the_flat_fast_path_declines_what_it_does_not_read() -> None:
    for body in (
        b"<xml><A><B>1</B></A></xml>",  # nested
        b'<xml><A k="v">1</A></xml>',  # attribute
        b"<xml><A>a&amp;b</A></xml>",  # entity
        b"<xml><A><![CDATA[a]]><![CDATA[b]]></A></xml>",  # two sections
        b"<xml><A>1</A>\r\n</xml>",  # carriage return
        b"<?xml version='1.0'?><xml><A>1</A></xml>",  # declaration
        b"<xml><!-- c --><A>1</A></xml>",  # comment
    ):
        assert _flat(body) is None, body
    assert parse_xml(b"<xml><A>a&amp;b</A><!-- c --></xml>") == {"A": "a&b"}


def _flat(body: bytes) -> dict[str, XmlValue] | None:
    """What the flat way of ``parse_xml_and_text`` reads from a body (the recent shapes,
    then ``_parse_flat``), or ``None``, as for a body that is not UTF-8 (the expat path then
    tells why)."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return None
    if not xmlcodec._hint_first:
        for fullmatch in xmlcodec._shapes:
            match = fullmatch(text)
            if match is not None:
                return match.groupdict()
    return xmlcodec._parse_flat(text)


# The fast path as it was first written (one regex match per child), kept as the oracle of
# the rewritten one: same dict, and ``None`` for the same bodies.
_REF_BAD = "\x00-\x08\x0b-\x1f"
_REF_CHILD = re.compile(
    r"[ \t\n]*<([A-Za-z_][A-Za-z0-9_]*)>(?:<!\[CDATA\[([^\]" + _REF_BAD + r"]*"
    r"(?:\](?!\]>)[^\]" + _REF_BAD + r"]*)*)\]\]>|([^<&\]" + _REF_BAD + r"]*))</\1>"
)
_REF_HEAD = re.compile(r"[ \t\n]*<xml>")
_REF_TAIL = re.compile(r"[ \t\n]*</xml>[ \t\n]*")


def _reference_parse_flat(data: bytes) -> dict[str, XmlValue] | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\ufffe" in text or "\uffff" in text:
        return None
    head = _REF_HEAD.match(text)
    if head is None:
        return None
    result: dict[str, XmlValue] = {}
    pos = head.end()
    match = _REF_CHILD.match(text, pos)
    while match is not None:
        tag, cdata, plain = match.groups()
        value = cdata or plain or None
        if tag not in result:
            result[tag] = value
        else:
            previous = result[tag]
            if isinstance(previous, list):
                previous.append(value)
            else:
                result[tag] = [previous, value]
        pos = match.end()
        match = _REF_CHILD.match(text, pos)
    if _REF_TAIL.fullmatch(text, pos) is None:
        return None
    return result


# A body is made of parts (root tags, child tags, forms, values, gaps), each drawn clean (of the
# flat shape) or dirty; one kind of part is spoilt: each part of that kind is dirty with a
# chance of one in three. Half the bodies get one more dirty piece anywhere.
_ROOTS_CLEAN = ["<xml>", " \n<xml>", "<xml>\n"]
_ROOTS_DIRTY = ["<XML>", "<xml >", "", "<?xml?><xml>", "\r<xml>"]
_ENDS_CLEAN = ["</xml>", "</xml>\n ", "\t</xml>"]
_ENDS_DIRTY = ["", "</xml>x", "</xml></xml>", "</xml>\r"]
_TAGS_CLEAN = ["A", "B", "ToUserName", "_x9", "xml"]
_TAGS_DIRTY = ["a.b", "1A", "", "A B"]
_FORMS_CLEAN = ["cdata", "cdata", "text", "empty"]
_FORMS_DIRTY = ["closed", "nested", "two", "open", "mismatched"]
_PIECES_CLEAN = ["a", "7", " ", "\t", "\n", "]", "]>", ">", "[", "/", "\x7f", "\u00e9", "\u4e2d"]
_PIECES_CLEAN += ["\U0001f600", "\u2028"]
_PIECES_DIRTY = ["\r", "]]", "]]>", "<", "&", "&amp;", "<![CDATA[", "</A>", "<A>", "\x00"]
_PIECES_DIRTY += ["\x08", "\x0b", "\x1f", "\ufffe", "\uffff"]
_GAPS_CLEAN = ["", "", " ", "\n", "\t \n"]
_GAPS_DIRTY = ["\r", "x", "&", "<", "]]>", "\x00", "<!-- c -->"]


@st.composite
def _near_flat_body(draw: st.DrawFn) -> bytes:
    """A body of (almost) the flat shape: children, some malformed, with gaps of any kind."""
    spoilt = draw(st.sampled_from(["", "root", "tag", "form", "value", "gap", "utf-8"]))

    def pick(kind: str, clean: list[str], dirty: list[str]) -> str:
        is_dirty = kind == spoilt and draw(st.integers(0, 2)) == 0
        return draw(st.sampled_from(dirty if is_dirty else clean))

    def value() -> str:
        pieces = draw(st.integers(0, 5))
        return "".join(pick("value", _PIECES_CLEAN, _PIECES_DIRTY) for _ in range(pieces))

    parts = [pick("root", _ROOTS_CLEAN, _ROOTS_DIRTY)]
    for _ in range(draw(st.integers(0, 6))):
        tag = pick("tag", _TAGS_CLEAN, _TAGS_DIRTY)
        form = pick("form", _FORMS_CLEAN, _FORMS_DIRTY)
        if form in ("cdata", "two"):
            inner = f"<![CDATA[{value()}]]>" * (1 + (form == "two"))
        elif form == "open":
            inner = f"<![CDATA[{value()}"
        elif form == "nested":
            inner = f"<B>{value()}</B>"
        else:
            inner = "" if form == "empty" else value()
        close = "Other" if form == "mismatched" else tag
        child = f"<{tag}/>" if form == "closed" else f"<{tag}>{inner}</{close}>"
        parts += (pick("gap", _GAPS_CLEAN, _GAPS_DIRTY), child)
    parts += (pick("gap", _GAPS_CLEAN, _GAPS_DIRTY), pick("root", _ENDS_CLEAN, _ENDS_DIRTY))
    text = "".join(parts)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(_PIECES_DIRTY + _GAPS_DIRTY)) + text[at:]
    body = text.encode("utf-8")
    if pick("utf-8", [""], ["\xff"]):
        at = draw(st.integers(0, len(body)))
        body = body[:at] + b"\xff" + body[at:]
    return body


@settings(max_examples=1000, deadline=None)
@given(_near_flat_body())
@example(b"<xml></xml>")
@example(b" \t<xml> \n </xml>\n")
@example(b"<xml><xml>1</xml>")
@example(b"<xml>/xml>")
@example(b"<xml><A>1</A><A></A><B><![CDATA[]]></B><A>2</A></xml>")
@example(b"<xml><A><![CDATA[a]]]></A><B><![CDATA[]]]]></B></xml>")
@example(b"<xml><A><![CDATA[a]]>b]]></A></xml>")
@example(b"<xml><A>1</A>x<B>2</B></xml>")
@example(b"<xml><A>1</A>\r\n</xml>")
@example(b"<xml><A>\xef\xbf\xbe</A></xml>")
@example(b"<xml><A>1</A></xml>\xff")
def test_the_flat_fast_path_agrees_with_its_first_version(body: bytes) -> None:
    _agree(body)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES_CLEAN + _PIECES_DIRTY), max_size=4).map("".join),
    st.booleans(),
    st.sampled_from(_GAPS_CLEAN + _GAPS_DIRTY),
)
def test_the_flat_fast_path_agrees_with_its_first_version_on_values(
    value: str, cdata: bool, gap: str
) -> None:
    inner = f"<![CDATA[{value}]]>" if cdata else value
    body = f"<xml><A>1</A>{gap}<B>{inner}</B><C><![CDATA[c]]></C></xml>".encode()
    _agree(body)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(TEXT_PUSH)), st.binary(max_size=4), st.booleans())
def test_the_flat_fast_path_agrees_with_its_first_version_on_corrupted_pushes(
    position: int, junk: bytes, replace: bool
) -> None:
    end = position + len(junk) if replace else position
    body = TEXT_PUSH[:position] + junk + TEXT_PUSH[end:]
    _agree(body)


def _agree(body: bytes) -> None:
    """``_parse_flat`` gives what the first version gave, children in the same order."""
    found, expected = _flat(body), _reference_parse_flat(body)
    assert found == expected
    assert list(found or ()) == list(expected or ())


# The shapes of recent pushes: a body with the tags of an earlier one is read by its shape,
# whatever its values, forms and gaps; the result must not tell the two ways apart.
_SHAPE_TAGS = ["ToUserName", "A", "B", "_x9", "MsgType", "Event", "EventKey"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_SHAPE_TAGS), min_size=1, max_size=7, unique=True),
    st.data(),
)
def test_a_push_read_by_the_shape_of_an_earlier_one_reads_the_same(
    tags: list[str], data: st.DataObject
) -> None:
    def body() -> bytes:
        children = []
        for tag in tags:
            pieces = data.draw(st.lists(st.sampled_from([*_PIECES_CLEAN, "]]", "<", "&"])))
            value = "".join(pieces)
            form = data.draw(st.sampled_from(_FORMS_CLEAN))
            inner = f"<![CDATA[{value}]]>" if form == "cdata" else "" if form == "empty" else value
            children.append(data.draw(st.sampled_from(_GAPS_CLEAN)) + f"<{tag}>{inner}</{tag}>")
        return ("<xml>" + "".join(children) + "</xml>").encode()

    for push in (body(), body(), body()):  # the first keeps its shape, the others use it
        _agree(push)
        xmlcodec._shapes = ()  # (a cache) the next push is read by the shapes of its hint
        _agree(push)


def test_the_shapes_kept_are_the_last_few_tag_sequences(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlcodec, "_shapes", ())
    monkeypatch.setattr(xmlcodec, "_by_hint", {})
    monkeypatch.setattr(xmlcodec, "_hint_first", False)
    for number in range(xmlcodec._MAX_SHAPES + 2):
        assert _flat(f"<xml><T{number}>x</T{number}></xml>".encode())
    assert len(xmlcodec._shapes) == xmlcodec._MAX_SHAPES
    first = xmlcodec._shapes[-1]
    assert _flat(TEXT_PUSH) is not None
    assert xmlcodec._shapes[-1] is not first  # the oldest went
    kept = xmlcodec._shapes
    assert _flat(b"<xml><T5>y</T5></xml>") == {"T5": "y"}  # read by a shape
    assert xmlcodec._shapes == kept


def test_a_value_of_another_form_than_its_shapes_keeps_a_shape_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(xmlcodec, "_shapes", ())
    monkeypatch.setattr(xmlcodec, "_by_hint", {})
    monkeypatch.setattr(xmlcodec, "_hint_first", False)
    forms = {
        "cdata": (b"<xml><A><![CDATA[x]]></A><B>1</B></xml>", {"A": "x", "B": "1"}),
        "empty cdata": (b"<xml><A><![CDATA[]]></A><B>1</B></xml>", {"A": None, "B": "1"}),
        "text": (b"<xml><A>y</A><B>1</B></xml>", {"A": "y", "B": "1"}),
        "empty": (b"<xml><A></A><B></B></xml>", {"A": None, "B": None}),
    }
    for count, (body, expected) in enumerate(forms.values(), start=1):
        assert _flat(body) == expected
        assert len(xmlcodec._shapes) == count  # not read by an earlier form's shape
    kept = xmlcodec._shapes  # (a push read the findall way replaces the tuple)
    for body, expected in forms.values():  # each read by its own shape now
        assert _flat(body) == expected
    assert xmlcodec._shapes is kept
    # an empty value reads alike in both empty forms, through the same shape
    assert _flat(b"<xml><A><![CDATA[]]></A><B><![CDATA[]]></B></xml>") == {"A": None, "B": None}
    assert xmlcodec._shapes is kept


def _typed_push(msg_type: str, event: str | None, *more: tuple[str, str]) -> bytes:
    """A flat push of a type: the four common children, Event when given, then ``more``."""
    children = [("ToUserName", "gh_1"), ("FromUserName", "o_2"), ("CreateTime", "1700000000")]
    children.append(("MsgType", msg_type))
    if event is not None:
        children.append(("Event", event))
    children += more
    inner = "".join(f"\n  <{tag}><![CDATA[{value}]]></{tag}>" for tag, value in children)
    return f"<xml>{inner}\n</xml>".encode()


_SIX_TYPES = [  # six tag sequences, six hints
    _typed_push("text", None, ("Content", "hi"), ("MsgId", "1")),
    _typed_push("image", None, ("PicUrl", "u"), ("MediaId", "m"), ("MsgId", "2")),
    _typed_push("event", "subscribe"),
    _typed_push("event", "VIEW", ("EventKey", "https://example.com"), ("MenuId", "1")),
    _typed_push("event", "CLICK", ("EventKey", "k")),
    _typed_push("event", "LOCATION", ("Latitude", "23.1"), ("Longitude", "113.3")),
]


def _count_findall(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Empty shape caches, and the list of the bodies read the findall way from now on."""
    monkeypatch.setattr(xmlcodec, "_shapes", ())
    monkeypatch.setattr(xmlcodec, "_by_hint", {})
    monkeypatch.setattr(xmlcodec, "_hint_first", False)
    read: list[str] = []
    children = xmlcodec._children

    def counted(inner: str) -> list[tuple[str, str, str]]:
        read.append(inner)
        return children(inner)

    monkeypatch.setattr(xmlcodec, "_children", counted)
    return read


def test_more_types_in_turn_than_recent_shapes_are_read_by_the_shapes_of_their_hints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Six types in turn: each push misses the four recent shapes. Before the hints, each took
    # the findall way again and built its shape again.
    assert len(_SIX_TYPES) > xmlcodec._MAX_SHAPES
    read = _count_findall(monkeypatch)
    for body in _SIX_TYPES:  # the first round keeps a shape of each
        _agree(body)
    assert len(read) == len(_SIX_TYPES)
    for _ in range(2):
        for body in _SIX_TYPES:
            _agree(body)
    assert len(read) == len(_SIX_TYPES)  # none the findall way again
    assert len(xmlcodec._by_hint) == len(_SIX_TYPES)
    assert len(xmlcodec._shapes) == xmlcodec._MAX_SHAPES


def test_types_in_turn_try_the_shapes_of_their_hint_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read = _count_findall(monkeypatch)
    for body in _SIX_TYPES:
        _agree(body)
    tried: list[str] = []  # a shape's name, each time it is tried

    def counted(name: str, shape: xmlcodec._Shape) -> xmlcodec._Shape:
        def fullmatch(text: str) -> re.Match[str] | None:
            tried.append(name)
            return shape(text)

        return fullmatch

    names = {shape: hint for hint, shapes in xmlcodec._by_hint.items() for shape in shapes}
    wrapped = {shape: counted(name, shape) for shape, name in names.items()}
    monkeypatch.setattr(xmlcodec, "_shapes", tuple(wrapped[s] for s in xmlcodec._shapes))
    by_hint = {
        hint: tuple(wrapped[s] for s in shapes) for hint, shapes in xmlcodec._by_hint.items()
    }
    monkeypatch.setattr(xmlcodec, "_by_hint", by_hint)
    for body in _SIX_TYPES:  # the first push tries the four recent shapes, in vain
        _agree(body)
    tried.clear()
    for body in _SIX_TYPES:
        _agree(body)
    assert len(tried) == len(_SIX_TYPES)  # one shape a push: its own (was five)
    hints: list[str] = []
    hint = xmlcodec._hint

    def counted_hint(text: str) -> str:
        hints.append(text)
        return hint(text)

    monkeypatch.setattr(xmlcodec, "_hint", counted_hint)
    for _ in range(3):  # a run of one type: back to the recent shapes after its second push
        _agree(_SIX_TYPES[0])
    assert len(hints) == 2
    assert len(tried) == len(_SIX_TYPES) + 3
    assert len(read) == len(_SIX_TYPES)


def test_the_hints_and_their_shapes_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    read = _count_findall(monkeypatch)
    count = xmlcodec._MAX_HINTS + 2  # each its own hint and tags
    bodies = [_typed_push("event", f"E{n}", (f"K{n}", "x")) for n in range(count)]
    for body in bodies:
        _agree(body)
    assert len(xmlcodec._by_hint) == xmlcodec._MAX_HINTS  # the two kept longest ago went
    assert "<MsgType><![CDATA[event]]><Event><![CDATA[E0]]>" not in xmlcodec._by_hint
    monkeypatch.setattr(xmlcodec, "_shapes", ())
    _agree(bodies[-1])  # read by the shapes of its hint
    assert len(read) == len(bodies)
    _agree(bodies[0])  # its hint went: the findall way
    assert len(read) == len(bodies) + 1
    # one hint, more shapes than it keeps (another child each): the newest stay
    same = [_typed_push("text", None, (f"T{n}", "x")) for n in range(xmlcodec._MAX_SHAPES + 2)]
    for body in same:
        _agree(body)
    assert len(xmlcodec._by_hint["<MsgType><![CDATA[text]]>"]) == xmlcodec._MAX_SHAPES
    monkeypatch.setattr(xmlcodec, "_shapes", ())
    before = len(read)
    _agree(same[-1])
    _agree(same[0])  # no longer kept under its hint
    assert len(read) == before + 1


# --- the specialised renderers are byte-identical to render_xml ---------------------------


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(st.none(), any_text),
    st.one_of(st.none(), any_text),
    st.integers(min_value=0, max_value=2**40),
    any_text,
)
def test_render_text_reply_is_render_xml(
    to_user: str | None, from_user: str | None, created: int, content: str
) -> None:
    _same_as_render_xml(to_user, from_user, created, content)


def _same_as_render_xml(
    to_user: str | None, from_user: str | None, created: int, content: str
) -> None:
    expected = render_xml(
        [
            ("ToUserName", to_user),
            ("FromUserName", from_user),
            ("CreateTime", created),
            ("MsgType", "text"),
            ("Content", content),
        ]
    )
    assert xmlcodec.render_text_reply(to_user, from_user, created, content) == expected


@pytest.mark.parametrize(
    ("to_user", "from_user", "content"),
    [
        ("a]]", ">b", "c"),  # "]]>" only across two texts: a false alarm, the slow path
        ("a", "b]", "]>c"),
        ("a]]>", "b", "c"),
        ("a", "b", "x]]>y\r\x01"),
        ("用户", "gh_号", "你好 👋"),
    ],
)
def test_render_text_reply_is_render_xml_at_the_text_edges(
    to_user: str, from_user: str, content: str
) -> None:
    for created in (0, 1700000000, True):
        _same_as_render_xml(to_user, from_user, created, content)
    whole = xmlcodec.render_text_reply(to_user, from_user, 1700000000, content)
    for clock in (1700000000.0, 1700000000.999):  # a clock's float, truncated as int() does
        assert xmlcodec.render_text_reply(to_user, from_user, clock, content) == whole


_BASE64 = st.text(alphabet=string.ascii_letters + string.digits + "+/=", max_size=200)
_HEX = st.text(alphabet="0123456789abcdef", min_size=40, max_size=40)


@settings(max_examples=300, deadline=None)
@given(_BASE64, _HEX, st.integers(min_value=0, max_value=2**40), any_text)
def test_render_envelope_is_render_xml(
    encrypt: str, signature: str, timestamp: int, nonce: str
) -> None:
    """Our envelopes hold base64 and hex; any nonce, digits (the fast branch) or not."""
    for n in (nonce, str(timestamp).zfill(10)):
        expected = render_xml(
            [
                ("Encrypt", encrypt),
                ("MsgSignature", signature),
                ("TimeStamp", timestamp),
                ("Nonce", n),
            ]
        )
        assert xmlcodec.render_envelope(encrypt, signature, timestamp, n) == expected


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (TEXT_PUSH, TEXT_PUSH_FIELDS),  # flat: decoded once, for both
        (b"<xml><A><B>1</B></A><C>\xe4\xbd\xa0</C></xml>", {"A": {"B": "1"}, "C": "你"}),  # expat
        (b"<xml><A><![CDATA[ padded ]]></A>\r\n</xml>", {"A": " padded "}),  # not flat: "\r"
        (b"\xef\xbb\xbf<xml><A>1</A></xml>", {"A": "1"}),  # a UTF-8 byte order mark
    ],
)
def test_parse_xml_and_text_is_parse_xml_and_the_decoded_body(
    body: bytes, fields: dict[str, XmlValue]
) -> None:
    expected = (fields, body.decode("utf-8", errors="replace"))
    assert xmlcodec.parse_xml_and_text(body) == expected
    assert parse_xml(body) == fields


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty body"),
        (b" \n\t", "empty body"),
        (b"<xml><A><![CDATA[caf\xe9]]></A></xml>", "body is not UTF-8"),
    ],
)
def test_parse_xml_and_text_refuses_what_parse_xml_refuses(body: bytes, reason: str) -> None:
    for parse in (parse_xml, xmlcodec.parse_xml_and_text):
        with pytest.raises(BadRequest) as caught:
            parse(body)
        assert caught.value.reason == reason
