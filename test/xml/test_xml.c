/*
 * Host unit tests for the config parser: every construct it accepts, every
 * error with its line and column, the limits, and under a counting
 * allocator that nothing leaks, whatever fails and wherever the allocator
 * gives out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xml.h>
#include "count_alloc.h"
#include "tree_check.h"

static const xml_limits_t defaults = XML_LIMITS_DEFAULT;

static const char example[] =
    "<config>\n"
    "  <parent-provides> <service name=\"LOG\"/> <service name=\"ROM\"/> </parent-provides>\n"
    "  <default-route> <any-service> <parent/> </any-service> </default-route>\n"
    "  <start name=\"producer\" ram=\"4M\" caps=\"100\" priority=\"16\">\n"
    "    <binary name=\"test-producer\"/>\n"
    "    <config> <greeting text=\"hello &amp; welcome\"/> </config>\n"
    "    <provides> <service name=\"Shm\"/> </provides>\n"
    "    <route> <service name=\"Shm\"> <child name=\"consumer\"/> </service> <any-service> "
    "<parent/> </any-service> </route>\n"
    "  </start>\n"
    "</config>\n";

/*
 * sweep_allocations: parse text with every count of allocations that
 * succeed before the allocator gives out, until the parse gets through;
 * each run must end with the allocator's error or want's outcome, and
 * leave nothing allocated.
 */
static void sweep_allocations(const char *text, size_t len, const xml_limits_t *lim, err_t want)
{
	for (size_t n = 0;; n++) {
		count_alloc_t ca;
		allocator_t a = count_alloc_init(&ca);
		ca.fail_after = n;
		xml_doc_t doc;
		xml_error_t err;
		err_t e = xml_parse(text, len, &a, lim, &doc, &err);
		if (e == ERR_OK)
			xml_free(&doc);
		assert_int_equal(ca.live, 0);
		assert_null(doc.root);
		if (e != ERR_NO_MEMORY || want == ERR_NO_MEMORY) {
			assert_int_equal(e, want);
			return;
		}
		assert_int_equal(err.code, ERR_NO_MEMORY);
		assert_true(err.offset <= len);
	}
}

/* parse_ok: text parsed with lim (NULL: defaults) into doc, whose tree checks clean. */
static void parse_ok(const char *text, const xml_limits_t *lim, count_alloc_t *ca, xml_doc_t *doc)
{
	static allocator_t a;
	a = count_alloc_init(ca);
	xml_error_t err;
	err_t e = xml_parse(text, strlen(text), &a, lim, doc, &err);
	if (e != ERR_OK)
		fail_msg("'%s': %u:%u %s", text, err.line, err.column, err.message);
	unsigned n;
	assert_int_equal(tree_check(doc, lim ? lim : &defaults, &n), 0);
	assert_true(ca->live > 0);
	sweep_allocations(text, strlen(text), lim, ERR_OK);
}

/* done: free doc and check that nothing of it is left. */
static void done(count_alloc_t *ca, xml_doc_t *doc)
{
	xml_free(doc);
	assert_null(doc->root);
	assert_int_equal(ca->live, 0);
}

/*
 * expect_error_len: the len bytes at text fail with code at line:col with
 * a message that contains msg, nothing leaked, also when the allocator
 * gives out anywhere before.
 */
static void expect_error_len(const char *text, size_t len, const xml_limits_t *lim, err_t code,
			     unsigned line, unsigned col, const char *msg)
{
	count_alloc_t ca;
	allocator_t a = count_alloc_init(&ca);
	xml_doc_t doc;
	xml_error_t err;
	err_t e = xml_parse(text, len, &a, lim, &doc, &err);
	if (e != code || err.line != line || err.column != col || !strstr(err.message, msg))
		fail_msg("'%s': got %s %u:%u '%s', want %s %u:%u '%s'", text, err_name(e), err.line,
			 err.column, err.message, err_name(code), line, col, msg);
	assert_int_equal(err.code, code);
	assert_int_equal(ca.live, 0);
	assert_null(doc.root);
	assert_null(doc.chunks);
	assert_true(err.offset <= len);
	sweep_allocations(text, len, lim, code);
}

static void expect_error(const char *text, err_t code, unsigned line, unsigned col, const char *msg)
{
	expect_error_len(text, strlen(text), NULL, code, line, col, msg);
}

static void expect_syntax(const char *text, unsigned line, unsigned col, const char *msg)
{
	expect_error(text, ERR_XML_SYNTAX, line, col, msg);
}

static void expect_limit(const char *text, const xml_limits_t *lim, unsigned line, unsigned col,
			 const char *msg)
{
	expect_error_len(text, strlen(text), lim, ERR_XML_LIMIT, line, col, msg);
}

static void test_example(void **state)
{
	count_alloc_t ca;
	xml_doc_t doc;
	parse_ok(example, NULL, &ca, &doc);
	const xml_node_t *root = doc.root, *n;
	assert_string_equal(root->name, "config");
	assert_int_equal(root->line, 1);
	assert_int_equal(root->column, 1);
	n = xml_first_child(root, "parent-provides");
	assert_string_equal(xml_attr(xml_first_child(n, "service"), "name"), "LOG");
	assert_string_equal(xml_attr(xml_next(xml_first_child(n, NULL), "service"), "name"), "ROM");
	assert_null(xml_next(xml_next(xml_first_child(n, NULL), NULL), NULL));
	n = xml_first_child(xml_first_child(xml_first_child(root, "default-route"), NULL), NULL);
	assert_true(xml_has_name(n, "parent"));

	const xml_node_t *start = xml_first_child(root, "start");
	assert_int_equal(start->line, 4);
	assert_int_equal(start->column, 3);
	assert_int_equal(start->attr_count, 4);
	assert_string_equal(xml_attr(start, "name"), "producer");
	uint64_t v;
	assert_int_equal(xml_attr_u64(start, "ram", 0, &v), ERR_OK);
	assert_int_equal(v, 4u << 20);
	assert_int_equal(xml_attr_u64(start, "caps", 0, &v), ERR_OK);
	assert_int_equal(v, 100);
	assert_int_equal(xml_attr_u64(start, "priority", 0, &v), ERR_OK);
	assert_int_equal(v, 16);
	assert_int_equal(xml_attr_u64(start, "absent", 77, &v), ERR_OK);
	assert_int_equal(v, 77);
	assert_int_equal(xml_attr_u64(start, "name", 77, &v), ERR_XML_BAD_VALUE);
	assert_int_equal(v, 77);
	bool b = true;
	assert_int_equal(xml_attr_bool(start, "absent", false, &b), ERR_OK);
	assert_false(b);
	assert_int_equal(xml_attr_bool(start, "name", true, &b), ERR_XML_BAD_VALUE);
	assert_true(b);
	assert_string_equal(xml_attr(xml_first_child(start, "binary"), "name"), "test-producer");
	n = xml_first_child(xml_first_child(start, "config"), "greeting");
	assert_string_equal(xml_attr(n, "text"), "hello & welcome");
	assert_int_equal(n->depth, 4);
	assert_ptr_equal(n->parent->parent, start);
	n = xml_first_child(xml_first_child(start, "route"), "service");
	assert_string_equal(xml_attr(n, "name"), "Shm");
	assert_string_equal(xml_attr(xml_first_child(n, "child"), "name"), "consumer");
	assert_true(xml_has_name(xml_next(n, NULL), "any-service"));
	assert_null(xml_next(n, "service"));
	assert_null(xml_next(start, "start"));
	assert_null(xml_first_child(start, "missing"));
	assert_string_equal(start->text, "");
	done(&ca, &doc);
}

static void test_constructs(void **state)
{
	count_alloc_t ca;
	xml_doc_t doc;
	parse_ok("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- lead -->\n<a x = 'single \"q\"'"
		 "\n\ty=\"double 'q'\"><!----><b/><!-- - inner -->"
		 "<c></c ></a>  <!-- trail -->\n",
		 NULL, &ca, &doc);
	const xml_node_t *a = doc.root;
	assert_string_equal(a->name, "a");
	assert_int_equal(a->line, 3);
	assert_string_equal(xml_attr(a, "x"), "single \"q\"");
	assert_string_equal(xml_attr(a, "y"), "double 'q'");
	assert_int_equal(a->attrs->next->line, 4);
	assert_int_equal(a->attrs->next->column, 2);
	assert_string_equal(a->children->name, "b");
	assert_string_equal(a->children->next->name, "c");
	assert_ptr_equal(a->last_child, a->children->next);
	done(&ca, &doc);

	parse_ok("<a-b.c_d:e1 _x='' :y=\"\"/>", NULL, &ca, &doc);
	assert_string_equal(doc.root->name, "a-b.c_d:e1");
	assert_string_equal(xml_attr(doc.root, "_x"), "");
	assert_string_equal(xml_attr(doc.root, ":y"), "");
	assert_null(doc.root->children);
	done(&ca, &doc);

	parse_ok("<?xml?><r/>", NULL, &ca, &doc); /* declaration without pseudo-attributes */
	done(&ca, &doc);
}

static void test_text(void **state)
{
	static const struct {
		const char *xml, *root, *child,
		    *grandchild; /* the texts wanted; NULL: no such node */
	} cases[] = {
	    {"<r>  x &lt; y  <b>inner</b>  z \n</r>", "x < y    z", "inner", NULL},
	    {"<r> <!-- c --> <e/>\n\t </r>", "", "", NULL},
	    {"<r>a<b>1<c>2</c>3</b>c<!--x-->d</r>", "acd", "13", "2"},
	    {"<r>a > b</r>", "a > b", NULL, NULL},
	    {"<r>\xc3\xa4 utf-8 passes</r>", "\xc3\xa4 utf-8 passes", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		count_alloc_t ca;
		xml_doc_t doc;
		parse_ok(cases[i].xml, NULL, &ca, &doc);
		const xml_node_t *child = doc.root->children;
		assert_string_equal(doc.root->text, cases[i].root);
		if (cases[i].child)
			assert_string_equal(child->text, cases[i].child);
		if (cases[i].grandchild)
			assert_string_equal(child->children->text, cases[i].grandchild);
		assert_true(!cases[i].child == !child);
		done(&ca, &doc);
	}
}

static void test_entities(void **state)
{
	count_alloc_t ca;
	xml_doc_t doc;
	parse_ok("<r v='&lt;&gt;&amp;&quot;&apos;' n=\"&#65;&#x42;&#x6a;&#0000067;&#9;\">"
		 "&lt;t&gt; &amp; &#x7e;</r>",
		 NULL, &ca, &doc);
	assert_string_equal(xml_attr(doc.root, "v"), "<>&\"'");
	assert_string_equal(xml_attr(doc.root, "n"), "ABjC\t");
	assert_string_equal(doc.root->text, "<t> & ~");
	done(&ca, &doc);

	expect_syntax("<r v='&foo;'/>", 1, 7, "unknown entity '&foo;'");
	expect_syntax("<r>\n  &nbsp;</r>", 2, 3, "unknown entity '&nbsp;'");
	expect_syntax("<r v='&;'/>", 1, 7, "unknown entity '&;'");
	expect_syntax("<r v='a & b'/>", 1, 9, "'&' starts no entity");
	expect_syntax("<r v='&amp'/>", 1, 7, "'&' starts no entity");
	expect_syntax("<r>&amp</r>", 1, 4, "'&' starts no entity");
	expect_syntax("<r>&abcdefghijklmnopq;</r>", 1, 4, "'&' starts no entity");
	expect_syntax("<r>&#;</r>", 1, 4, "malformed character reference '&#;'");
	expect_syntax("<r>&#x;</r>", 1, 4, "malformed character reference '&#x;'");
	expect_syntax("<r>&#12a;</r>", 1, 4, "malformed character reference '&#12a;'");
	expect_syntax("<r>&#X41;</r>", 1, 4, "malformed character reference");
	expect_syntax("<r>&#200;</r>", 1, 4, "character reference '&#200;' outside ASCII");
	expect_syntax("<r>&#x7f;</r>", 1, 4, "is a control character");
	expect_syntax("<r>&#x80;</r>", 1, 4, "outside ASCII");
	expect_syntax("<r>&#99999999999999;</r>", 1, 4, "outside ASCII");
	expect_syntax("<r>&#1;</r>", 1, 4, "character reference '&#1;' is a control character");
	expect_syntax("<r>&#0;</r>", 1, 4, "is a control character");
}

static void test_numbers(void **state)
{
	count_alloc_t ca;
	xml_doc_t doc;
	parse_ok("<n d='4096' h='0x1000' k='16K' m='2M' g='1G' max='18446744073709551615' "
		 "e='' x='12x' o='18446744073709551616' hx='0x' s='K' big='17179869184G' "
		 "sp=' 1'/>",
		 NULL, &ca, &doc);
	static const struct {
		const char *name;
		err_t e;
		uint64_t v;
	} cases[] = {{"d", ERR_OK, 4096},	    {"h", ERR_OK, 4096},
		     {"k", ERR_OK, 16384},	    {"m", ERR_OK, 2u << 20},
		     {"g", ERR_OK, 1u << 30},	    {"max", ERR_OK, UINT64_MAX},
		     {"absent", ERR_OK, 5},	    {"e", ERR_XML_BAD_VALUE, 5},
		     {"x", ERR_XML_BAD_VALUE, 5},   {"o", ERR_XML_BAD_VALUE, 5},
		     {"hx", ERR_XML_BAD_VALUE, 5},  {"s", ERR_XML_BAD_VALUE, 5},
		     {"big", ERR_XML_BAD_VALUE, 5}, {"sp", ERR_XML_BAD_VALUE, 5}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;
		assert_int_equal(xml_attr_u64(doc.root, cases[i].name, 5, &v), cases[i].e);
		assert_int_equal(v, cases[i].v);
	}
	done(&ca, &doc);
}

/* offset and length: each element's own bytes of the text, end tag included */
static void test_spans(void **state)
{
	count_alloc_t ca;
	xml_doc_t doc;
	const char *text = "<?xml version='1.0'?>\n<a>\n <b x='1'/> <c>t<d/></c >\n</a>";
	parse_ok(text, NULL, &ca, &doc);
	const xml_node_t *a = doc.root, *b = xml_first_child(a, "b"), *c = xml_first_child(a, "c");
	const xml_node_t *d = xml_first_child(c, "d");
	assert_int_equal(a->offset, 22);
	assert_int_equal(a->length, strlen(text) - 22);
	assert_memory_equal(text + b->offset, "<b x='1'/>", b->length);
	assert_int_equal(b->length, 10);
	assert_memory_equal(text + c->offset, "<c>t<d/></c >", c->length);
	assert_int_equal(c->length, 13);
	assert_memory_equal(text + d->offset, "<d/>", d->length);
	assert_int_equal(d->length, 4);
	done(&ca, &doc);
}

static void test_booleans(void **state)
{
	count_alloc_t ca;
	xml_doc_t doc;
	parse_ok("<b y='yes' t='true' n='no' f='false' cap='Yes' e='' one='1'/>", NULL, &ca, &doc);
	static const struct {
		const char *name;
		err_t e;
		bool v;
	} cases[] = {{"y", ERR_OK, true},
		     {"t", ERR_OK, true},
		     {"n", ERR_OK, false},
		     {"f", ERR_OK, false},
		     {"absent", ERR_OK, true},
		     {"cap", ERR_XML_BAD_VALUE, true},
		     {"e", ERR_XML_BAD_VALUE, true},
		     {"one", ERR_XML_BAD_VALUE, true}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool v = false;
		assert_int_equal(xml_attr_bool(doc.root, cases[i].name, true, &v), cases[i].e);
		assert_int_equal(v, cases[i].v);
	}
	done(&ca, &doc);
}

static void test_structure_errors(void **state)
{
	expect_syntax("<config>\n  <x>\n    <start name='a'>\n    </x>\n</config>", 4, 5,
		      "mismatched end tag '</x>' for 'start' (opened at 3:5)");
	expect_syntax("<config>\n  <x/>\n    <start name='a'>\n", 4, 1,
		      "unclosed element 'start' (opened at 3:5)");
	expect_syntax("<a><strat></start></a>", 1, 11, "mismatched end tag '</start>' for 'strat'");
	expect_syntax("<a></a></a>", 1, 8, "end tag '</a>' outside the root element");
	expect_syntax("</a>", 1, 1, "end tag '</a>' outside the root element");
	expect_syntax("<a></a ", 1, 8, "expected '>' to end '</a'");
	expect_syntax("<a></a x>", 1, 8, "expected '>' to end '</a'");
	expect_syntax("<a></>", 1, 6, "expected an end tag name, found '>'");
	expect_syntax("", 1, 1, "no root element");
	expect_syntax(" \n <!-- only -->\n", 3, 1, "no root element");
	expect_syntax("hello <a/>", 1, 1, "text outside the root element");
	expect_syntax("<a/>\n  x", 2, 3, "text outside the root element");
	expect_syntax("<a/>&amp;", 1, 5, "text outside the root element");
	expect_syntax("<a/>\n<b/>", 2, 1, "a second root element");
	expect_syntax("<a", 1, 3, "unterminated start tag 'a' (opened at 1:1)");
	expect_syntax("<a x='1'", 1, 9, "unterminated start tag 'a' (opened at 1:1)");
	expect_syntax("<a\n", 2, 1, "unterminated start tag 'a'");
	expect_syntax("<", 1, 2, "expected an element name, found end of input");
	expect_syntax("< a/>", 1, 2, "expected an element name, found ' '");
	expect_syntax("<a/ >", 1, 3,
		      "expected an attribute, '>' or '/>' in start tag 'a', found '/'");
}

static void test_name_errors(void **state)
{
	expect_syntax("<1a/>", 1, 2, "expected an element name, found '1'");
	expect_syntax("<-a/>", 1, 2, "expected an element name, found '-'");
	expect_syntax("<.a/>", 1, 2, "expected an element name, found '.'");
	expect_syntax("<a$b/>", 1, 3, "invalid character '$' in name 'a'");
	expect_syntax("<ab\xc3\xa4/>", 1, 4, "invalid character 0xc3 in name 'ab'");
	expect_syntax("<a 1x='1'/>", 1, 4,
		      "expected an attribute, '>' or '/>' in start tag 'a', found '1'");
	expect_syntax("<a x$='1'/>", 1, 5, "invalid character '$' in name 'x'");
	expect_syntax("<a></a$>", 1, 7, "invalid character '$' in name 'a'");
}

static void test_attribute_errors(void **state)
{
	expect_syntax("<start name='a'\n       ram='1' name='b'/>", 2, 16,
		      "attribute 'name' given twice");
	expect_syntax("<a x/>", 1, 5, "expected '=' after attribute 'x'");
	expect_syntax("<a x y='1'/>", 1, 6, "expected '=' after attribute 'x'");
	expect_syntax("<a x=1/>", 1, 6, "expected a quoted value for attribute 'x', found '1'");
	expect_syntax("<a x=", 1, 6,
		      "expected a quoted value for attribute 'x', found end of input");
	expect_syntax("<a x='1\"/>", 1, 11, "unterminated value of attribute 'x' (opened at 1:6)");
	expect_syntax("<a x=\"1/>\n<b y=\"2\"/>", 2, 1, "'<' in the value of attribute 'x'");
	expect_syntax("<a x='1'y='2'/>", 1, 9, "missing whitespace before attribute");
}

static void test_unsupported(void **state)
{
	expect_syntax("<!DOCTYPE config>\n<config/>", 1, 1, "DOCTYPE is not supported");
	expect_syntax("<a><![CDATA[x]]></a>", 1, 4, "CDATA sections are not supported");
	expect_syntax("<a><!ELEMENT a></a>", 1, 4, "unsupported markup '<!'");
	expect_syntax("<a><?pi x?></a>", 1, 4, "processing instructions are not supported");
	expect_syntax("<?xml-stylesheet x?><a/>", 1, 1,
		      "processing instructions are not supported");
	expect_syntax(" <?xml version='1.0'?><a/>", 1, 2,
		      "the <?xml ...?> declaration must come first");
	expect_syntax("<a/><?xml?>", 1, 5, "the <?xml ...?> declaration must come first");
	expect_syntax("<?xml version='1.0'\n<a/>", 2, 5,
		      "unterminated declaration (opened at 1:1)");
	expect_syntax("<a>\n <!-- never closed </a>", 2, 24,
		      "unterminated comment (opened at 2:2)");
	expect_syntax("<a><!-- a -- b --></a>", 1, 11, "'--' inside a comment");
	expect_syntax("<a><!-- a ---></a>", 1, 11, "'--' inside a comment");
	expect_error_len("<a>\n x\0</a>", 9, NULL, ERR_XML_SYNTAX, 2, 3, "control character 0x00");
	expect_syntax("<a x='\x1b'/>", 1, 7, "control character 0x1b");
	expect_syntax("<a>\x7f</a>", 1, 4, "control character 0x7f");
}

/* nested: n elements <e> each inside the one before, as a string. */
static const char *nested(unsigned n)
{
	static char buf[1024];
	size_t k = 0;
	for (unsigned i = 0; i < n; i++)
		k += (size_t)sprintf(buf + k, "<e>");
	for (unsigned i = 0; i < n; i++)
		k += (size_t)sprintf(buf + k, "</e>");
	return buf;
}

/* limit_edge: ok (NULL: none) parses under lim; bad fails at line:col with msg. */
static void limit_edge(const xml_limits_t *lim, const char *ok, const char *bad, unsigned line,
		       unsigned col, const char *msg)
{
	count_alloc_t ca;
	xml_doc_t doc;
	if (ok) {
		parse_ok(ok, lim, &ca, &doc);
		done(&ca, &doc);
	}
	expect_limit(bad, lim, line, col, msg);
}

static void test_limits(void **state)
{
	char deep[256];
	xml_limits_t lim = defaults;
	lim.max_depth = 3;
	strcpy(deep, nested(3));
	limit_edge(&lim, deep, nested(4), 1, 10, "limit: elements nested deeper than 3");
	lim.max_depth = 0;
	limit_edge(&lim, NULL, "<a/>", 1, 1, "limit: elements nested deeper than 0");
	strcpy(deep, nested(32));
	limit_edge(&defaults, deep, nested(33), 1, 97, "limit: elements nested deeper than 32");

	lim = defaults;
	lim.max_nodes = 3;
	limit_edge(&lim, "<a><b/><c/></a>", "<a><b/><c/>\n<d/></a>", 2, 1,
		   "limit: more than 3 elements");
	lim = defaults;
	lim.max_attrs = 2;
	limit_edge(&lim, "<a x='1' y='2'/>", "<a x='1' y='2' z='3'/>", 1, 16,
		   "limit: more than 2 attributes in element 'a'");
	lim = defaults;
	lim.max_value = 4; /* the decoded length counts */
	limit_edge(&lim, "<a x='&lt;&lt;&lt;&lt;'/>", "<a x='12345'/>", 1, 7,
		   "limit: value of attribute 'x' longer than 4 bytes");
	lim = defaults;
	lim.max_input = 8;
	limit_edge(&lim, "<abcde/>", "<abcdef/>", 1, 9, "limit: more than 8 bytes of input");
	lim = defaults;
	lim.max_memory = 2000;
	limit_edge(&lim, "<a/>", example, 4, 35, "limit: more than 2000 bytes of memory");
}

/* A document near max_memory: the memory limit hits at an element and is honoured exactly. */
static void test_memory_limit(void **state)
{
	static char big[200 * 1024];
	size_t k = (size_t)sprintf(big, "<r>\n");
	while (k < sizeof(big) - 100)
		k += (size_t)sprintf(big + k, "<e a='%0100d'/>\n", 1);
	sprintf(big + k, "</r>");
	xml_limits_t lim = defaults;
	lim.max_memory = 64 * 1024;
	count_alloc_t ca;
	allocator_t a = count_alloc_init(&ca);
	xml_doc_t doc;
	xml_error_t err;
	assert_int_equal(xml_parse(big, strlen(big), &a, &lim, &doc, &err), ERR_XML_LIMIT);
	assert_non_null(strstr(err.message, "bytes of memory"));
	assert_true(err.line > 100);
	assert_int_equal(ca.live, 0);
	lim.max_memory = 1024 * 1024;
	assert_int_equal(xml_parse(big, strlen(big), &a, &lim, &doc, &err), ERR_OK);
	assert_true(doc.memory <= lim.max_memory);
	assert_true(ca.bytes == doc.memory);
	xml_free(&doc);
	assert_int_equal(ca.live, 0);
}

static void test_allocator_error(void **state)
{
	count_alloc_t ca;
	allocator_t a = count_alloc_init(&ca);
	ca.fail_after = 0;
	xml_doc_t doc;
	xml_error_t err;
	assert_int_equal(xml_parse("<a/>", 4, &a, NULL, &doc, &err), ERR_NO_MEMORY);
	assert_int_equal(err.code, ERR_NO_MEMORY);
	assert_non_null(strstr(err.message, "allocator"));
	assert_int_equal(err.line, 1);
	assert_int_equal(ca.live, 0);
	/* no error record wanted */
	ca.fail_after = (size_t)-1;
	assert_int_equal(xml_parse("<a", 2, &a, NULL, &doc, NULL), ERR_XML_SYNTAX);
	assert_int_equal(xml_parse(NULL, 1, &a, NULL, &doc, NULL), ERR_INVALID_ARGS);
	assert_int_equal(xml_parse("<a/>", 4, NULL, NULL, &doc, NULL), ERR_INVALID_ARGS);
	xml_free(&doc); /* an empty document frees nothing */
	assert_int_equal(ca.live, 0);
}

static void test_unterminated_input(void **state)
{
	/* the input needs no NUL: the parser reads exactly len bytes */
	const char text[] = "<a x='1'/>trailing";
	count_alloc_t ca;
	allocator_t a = count_alloc_init(&ca);
	xml_doc_t doc;
	assert_int_equal(xml_parse(text, 10, &a, NULL, &doc, NULL), ERR_OK);
	xml_free(&doc);
	expect_error_len(text, 9, NULL, ERR_XML_SYNTAX, 1, 10, "unterminated start tag 'a'");
	expect_error_len("<a>&amp;", 7, NULL, ERR_XML_SYNTAX, 1, 4, "'&' starts no entity");
}

static void test_accessors_null(void **state)
{
	assert_null(xml_first_child(NULL, NULL));
	assert_null(xml_next(NULL, "x"));
	assert_null(xml_attr(NULL, "x"));
	assert_false(xml_has_name(NULL, "x"));
	uint64_t v;
	assert_int_equal(xml_attr_u64(NULL, "x", 3, &v), ERR_OK);
	assert_int_equal(v, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_example),
	    cmocka_unit_test(test_constructs),
	    cmocka_unit_test(test_booleans),
	    cmocka_unit_test(test_spans),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_entities),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_structure_errors),
	    cmocka_unit_test(test_name_errors),
	    cmocka_unit_test(test_attribute_errors),
	    cmocka_unit_test(test_unsupported),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_memory_limit),
	    cmocka_unit_test(test_allocator_error),
	    cmocka_unit_test(test_unterminated_input),
	    cmocka_unit_test(test_accessors_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
