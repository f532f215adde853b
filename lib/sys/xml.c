/*
 * The config parser: one forward pass over the text that builds the tree
 * while it checks it. It is iterative; the open elements are the chain of
 * parent links from the current one, so nesting costs no stack and is
 * bounded by max_depth. Every byte the document holds lives in chunks taken
 * from the caller's allocator and listed in the document, so that freeing
 * after an error or by xml_free is one walk over that list.
 *
 * Character data of an element may come in pieces between its children; the
 * pieces wait, newest first, on one list of the parser, and the element's
 * end tag joins those at the head of it that are its own (its children's
 * pieces are gone by then, taken at their own end tags).
 */
#include <xml.h>
#include <mem.h>
#include <log.h>
#include <number.h>

#define NAME_SHOWN 32 /* bytes of a name an error message quotes */
#define ENTITY_MAX 16 /* bytes between '&' and ';' of the longest reference accepted */
#define CHUNK_SIZE 4096

typedef struct xml_chunk {
	struct xml_chunk *next;
	size_t size, used; /* bytes of the payload after the header */
} xml_chunk_t;

#define CHUNK_HEADER ((sizeof(xml_chunk_t) + 15) & ~(size_t)15)

typedef struct seg {
	struct seg *next;
	const xml_node_t *owner;
	size_t len;
	char data[];
} seg_t;

typedef struct parser {
	const char *s;
	size_t len, pos;
	xml_limits_t lim;
	xml_doc_t *doc;
	xml_error_t *err;
	unsigned nodes;
	size_t mark;	  /* start of what is being built, where running out is reported */
	seg_t *segs;	  /* character data of open elements, newest first */
	size_t where_pos; /* line and column of where_pos, for where() */
	unsigned where_line, where_col;
} parser_t;

/* where: line and column of offset o; moves forward from the last answer. */
static void where(parser_t *p, size_t o, unsigned *line, unsigned *col)
{
	if (o < p->where_pos) {
		p->where_pos = 0;
		p->where_line = p->where_col = 1;
	}
	for (; p->where_pos < o; p->where_pos++) {
		if (p->s[p->where_pos] == '\n')
			p->where_line++, p->where_col = 1;
		else
			p->where_col++;
	}
	*line = p->where_line;
	*col = p->where_col;
}

/* fail: record error code at offset at with a formatted message; returns code. */
__attribute__((format(printf, 4, 5))) static err_t fail(parser_t *p, size_t at, err_t code,
							const char *fmt, ...)
{
	if (p->err) {
		p->err->code = code;
		p->err->offset = at;
		where(p, at, &p->err->line, &p->err->column);
		va_list ap;
		va_start(ap, fmt);
		format_vbuf(p->err->message, sizeof(p->err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

/* shown: how many bytes of a name of length n a message quotes. */
static int shown(size_t n)
{
	return n < NAME_SHOWN ? (int)n : NAME_SHOWN;
}

/* describe: the character at offset o as a message shows it. */
static const char *describe(const parser_t *p, size_t o, char buf[8])
{
	if (o >= p->len)
		return "end of input";
	unsigned char c = (unsigned char)p->s[o];
	if (c >= 0x20 && c < 0x7f)
		format_buf(buf, 8, "'%c'", c);
	else
		format_buf(buf, 8, "0x%02x", c);
	return buf;
}

/* chunk_add: a new current chunk with room for size bytes; XML_LIMIT past max_memory. */
static err_t chunk_add(parser_t *p, size_t size)
{
	size_t left = p->lim.max_memory - p->doc->memory;
	size_t bytes = CHUNK_HEADER + (size > CHUNK_SIZE ? size : CHUNK_SIZE);
	if (bytes > left)
		bytes = CHUNK_HEADER + size; /* the last bytes allowed, in a chunk of their own */
	if (bytes > left)
		return fail(p, p->mark, ERR_XML_LIMIT, "limit: more than %zu bytes of memory",
			    p->lim.max_memory);
	void *m;
	err_t e = allocator_alloc(p->doc->alloc, bytes, &m);
	if (e != ERR_OK)
		return fail(p, p->mark, e, "allocator: %s", err_str(e));
	xml_chunk_t *c = m;
	c->size = bytes - CHUNK_HEADER;
	c->used = 0;
	c->next = p->doc->chunks;
	p->doc->chunks = c;
	p->doc->memory += bytes;
	return ERR_OK;
}

/* take: size bytes of the document, 8-byte aligned, into *out. */
static err_t take(parser_t *p, size_t size, void **out)
{
	size = (size + 7) & ~(size_t)7;
	xml_chunk_t *c = p->doc->chunks;
	if (!c || c->size - c->used < size) {
		err_t e = chunk_add(p, size);
		if (e != ERR_OK)
			return e;
		c = p->doc->chunks;
	}
	*out = (char *)c + CHUNK_HEADER + c->used;
	c->used += size;
	return ERR_OK;
}

/* take_string: a NUL-terminated copy of the n bytes of input at offset from. */
static err_t take_string(parser_t *p, size_t from, size_t n, char **out)
{
	err_t e = take(p, n + 1, (void **)out);
	if (e != ERR_OK)
		return e;
	memcpy(*out, p->s + from, n);
	(*out)[n] = 0;
	return ERR_OK;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* looking_at: whether the input continues with lit at the current position. */
static bool looking_at(const parser_t *p, const char *lit)
{
	size_t n = strlen(lit);
	return p->len - p->pos >= n && !memcmp(p->s + p->pos, lit, n);
}

static void skip_space(parser_t *p)
{
	while (p->pos < p->len && is_space(p->s[p->pos]))
		p->pos++;
}

/* check_input: XML_LIMIT past max_input; XML_SYNTAX for control characters. */
static err_t check_input(parser_t *p)
{
	if (p->len > p->lim.max_input)
		return fail(p, p->lim.max_input, ERR_XML_LIMIT,
			    "limit: more than %zu bytes of input", p->lim.max_input);
	for (size_t i = 0; i < p->len; i++) {
		unsigned char c = (unsigned char)p->s[i];
		if ((c < 0x20 && !is_space((char)c)) || c == 0x7f)
			return fail(p, i, ERR_XML_SYNTAX, "control character 0x%02x", c);
	}
	return ERR_OK;
}

/*
 * scan_name: the length of the name at the current position into *len, the
 * position moved past it. XML_SYNTAX if no name starts there or a character
 * that is neither a name character nor a delimiter follows it.
 */
static err_t scan_name(parser_t *p, const char *what, size_t *len)
{
	size_t s = p->pos, e = s;
	char buf[8];
	if (e >= p->len || !is_name_start(p->s[e]))
		return fail(p, e, ERR_XML_SYNTAX, "expected %s name, found %s", what,
			    describe(p, e, buf));
	while (e < p->len && is_name_char(p->s[e]))
		e++;
	if (e < p->len && !is_space(p->s[e]) && p->s[e] != '>' && p->s[e] != '/' && p->s[e] != '=')
		return fail(p, e, ERR_XML_SYNTAX, "invalid character %s in name '%.*s'",
			    describe(p, e, buf), shown(e - s), p->s + s);
	*len = e - s;
	p->pos = e;
	return ERR_OK;
}

/* char_ref: the character of the reference "#..." of n bytes at ref ('&' at amp). */
static err_t char_ref(parser_t *p, size_t amp, const char *ref, size_t n, char *c)
{
	unsigned base = n > 1 && ref[1] == 'x' ? 16 : 10;
	size_t i = base == 16 ? 2 : 1;
	unsigned v = 0;
	bool ok = i < n;
	for (; ok && i < n; i++) {
		int d = number_digit(ref[i], base);
		ok = d >= 0;
		if (ok && v < 0x100) /* past ASCII already: keep v from overflowing */
			v = v * base + (unsigned)d;
	}
	if (!ok)
		return fail(p, amp, ERR_XML_SYNTAX, "malformed character reference '&%.*s;'",
			    (int)n, ref);
	if (v > 0x7f)
		return fail(p, amp, ERR_XML_SYNTAX, "character reference '&%.*s;' outside ASCII",
			    (int)n, ref);
	if ((v < 0x20 && !is_space((char)v)) || v == 0x7f)
		return fail(p, amp, ERR_XML_SYNTAX,
			    "character reference '&%.*s;' is a control character", (int)n, ref);
	*c = (char)v;
	return ERR_OK;
}

/* entity: the character of the reference at amp (an '&') into *c, its length into *used. */
static err_t entity(parser_t *p, size_t amp, size_t end, char *c, size_t *used)
{
	static const struct {
		const char *name;
		char c;
	} predefined[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
	size_t semi = amp + 1;
	while (semi < end && semi - amp <= ENTITY_MAX && p->s[semi] != ';')
		semi++;
	if (semi >= end || p->s[semi] != ';')
		return fail(p, amp, ERR_XML_SYNTAX, "'&' starts no entity (write &amp; for '&')");
	const char *ref = p->s + amp + 1;
	size_t n = semi - amp - 1;
	*used = n + 2;
	if (n && ref[0] == '#')
		return char_ref(p, amp, ref, n, c);
	for (size_t i = 0; i < sizeof(predefined) / sizeof(predefined[0]); i++)
		if (strlen(predefined[i].name) == n && !memcmp(predefined[i].name, ref, n)) {
			*c = predefined[i].c;
			return ERR_OK;
		}
	return fail(p, amp, ERR_XML_SYNTAX, "unknown entity '&%.*s;'", (int)n, ref);
}

/* decode: the input bytes [from, to) with references replaced, into out; length into *n. */
static err_t decode(parser_t *p, size_t from, size_t to, char *out, size_t *n)
{
	size_t k = 0;
	for (size_t i = from; i < to;) {
		if (p->s[i] != '&') {
			out[k++] = p->s[i++];
			continue;
		}
		size_t used = 0;
		err_t e = entity(p, i, to, &out[k++], &used);
		if (e != ERR_OK)
			return e;
		i += used;
	}
	out[k] = 0;
	*n = k;
	return ERR_OK;
}

/* attr_find: the attribute of node named by the n bytes at name; NULL if none. */
static const xml_attr_t *attr_find(const xml_node_t *node, const char *name, size_t n)
{
	for (const xml_attr_t *a = node->attrs; a; a = a->next)
		if (strlen(a->name) == n && !memcmp(a->name, name, n))
			return a;
	return NULL;
}

/* attr_value: the quoted value at the current position, decoded, into *out. */
static err_t attr_value(parser_t *p, const char *name, char **out)
{
	char q = p->pos < p->len ? p->s[p->pos] : 0, buf[8];
	if (q != '"' && q != '\'')
		return fail(p, p->pos, ERR_XML_SYNTAX,
			    "expected a quoted value for attribute '%.*s', found %s",
			    shown(strlen(name)), name, describe(p, p->pos, buf));
	size_t open = p->pos, end = open + 1;
	while (end < p->len && p->s[end] != q && p->s[end] != '<')
		end++;
	if (end < p->len && p->s[end] == '<')
		return fail(p, end, ERR_XML_SYNTAX, "'<' in the value of attribute '%.*s'",
			    shown(strlen(name)), name);
	if (end == p->len) {
		unsigned l, c;
		where(p, open, &l, &c);
		return fail(p, end, ERR_XML_SYNTAX,
			    "unterminated value of attribute '%.*s' (opened at %u:%u)",
			    shown(strlen(name)), name, l, c);
	}
	size_t n;
	err_t e = take(p, end - open, (void **)out);
	if (e == ERR_OK)
		e = decode(p, open + 1, end, *out, &n);
	if (e == ERR_OK && n > p->lim.max_value)
		e = fail(p, open + 1, ERR_XML_LIMIT,
			 "limit: value of attribute '%.*s' longer than %zu bytes",
			 shown(strlen(name)), name, p->lim.max_value);
	p->pos = end + 1;
	return e;
}

/* parse_attr: the attribute at the current position, appended to node after *tail. */
static err_t parse_attr(parser_t *p, xml_node_t *node, xml_attr_t **tail)
{
	size_t at = p->mark = p->pos, n;
	err_t e = scan_name(p, "an attribute", &n);
	if (e != ERR_OK)
		return e;
	if (node->attr_count == p->lim.max_attrs)
		return fail(p, at, ERR_XML_LIMIT,
			    "limit: more than %u attributes in element '%.*s'", p->lim.max_attrs,
			    shown(strlen(node->name)), node->name);
	if (attr_find(node, p->s + at, n))
		return fail(p, at, ERR_XML_SYNTAX, "attribute '%.*s' given twice", shown(n),
			    p->s + at);
	xml_attr_t *a;
	char *name;
	if ((e = take(p, sizeof(*a), (void **)&a)) != ERR_OK ||
	    (e = take_string(p, at, n, &name)) != ERR_OK)
		return e;
	a->name = name;
	a->next = NULL;
	where(p, at, &a->line, &a->column);
	skip_space(p);
	if (!looking_at(p, "="))
		return fail(p, p->pos, ERR_XML_SYNTAX, "expected '=' after attribute '%.*s'",
			    shown(n), name);
	p->pos++;
	skip_space(p);
	char *value;
	if ((e = attr_value(p, name, &value)) != ERR_OK)
		return e;
	a->value = value;
	*(*tail ? &(*tail)->next : &node->attrs) = a;
	*tail = a;
	node->attr_count++;
	return ERR_OK;
}

/* parse_attrs: the attributes and the end of node's start tag; *empty for "/>". */
static err_t parse_attrs(parser_t *p, xml_node_t *node, bool *empty)
{
	xml_attr_t *tail = NULL;
	char buf[8];
	for (;;) {
		size_t before = p->pos;
		skip_space(p);
		if (looking_at(p, ">") || looking_at(p, "/>")) {
			*empty = p->s[p->pos] == '/';
			p->pos += *empty ? 2 : 1;
			return ERR_OK;
		}
		if (p->pos == p->len || (p->pos + 1 == p->len && p->s[p->pos] == '/'))
			return fail(p, p->len, ERR_XML_SYNTAX,
				    "unterminated start tag '%.*s' (opened at %u:%u)",
				    shown(strlen(node->name)), node->name, node->line,
				    node->column);
		if (!is_name_start(p->s[p->pos]))
			return fail(
			    p, p->pos, ERR_XML_SYNTAX,
			    "expected an attribute, '>' or '/>' in start tag '%.*s', found %s",
			    shown(strlen(node->name)), node->name, describe(p, p->pos, buf));
		if (p->pos == before)
			return fail(p, p->pos, ERR_XML_SYNTAX,
				    "missing whitespace before attribute");
		err_t e = parse_attr(p, node, &tail);
		if (e != ERR_OK)
			return e;
	}
}

/* node_new: an element named by the n bytes at name, appended to parent's children. */
static err_t node_new(parser_t *p, xml_node_t *parent, size_t lt, size_t name, size_t n,
		      xml_node_t **out)
{
	xml_node_t *node;
	char *copy;
	err_t e = take(p, sizeof(*node), (void **)&node);
	if (e == ERR_OK)
		e = take_string(p, name, n, &copy);
	if (e != ERR_OK)
		return e;
	memset(node, 0, sizeof(*node));
	node->name = copy;
	node->text = "";
	node->parent = parent;
	node->depth = parent ? parent->depth + 1 : 1;
	where(p, lt, &node->line, &node->column);
	node->offset = lt;
	if (!parent)
		p->doc->root = node;
	else
		*(parent->last_child ? &parent->last_child->next : &parent->children) = node;
	if (parent)
		parent->last_child = node;
	p->nodes++;
	*out = node;
	return ERR_OK;
}

/* parse_start_tag: the tag at the current '<', a child of *cur; *cur becomes it unless empty. */
static err_t parse_start_tag(parser_t *p, xml_node_t **cur)
{
	size_t lt = p->mark = p->pos++, n;
	err_t e = scan_name(p, "an element", &n);
	if (e != ERR_OK)
		return e;
	if (p->nodes == p->lim.max_nodes)
		return fail(p, lt, ERR_XML_LIMIT, "limit: more than %u elements", p->lim.max_nodes);
	if ((*cur ? (*cur)->depth : 0) == p->lim.max_depth)
		return fail(p, lt, ERR_XML_LIMIT, "limit: elements nested deeper than %u",
			    p->lim.max_depth);
	xml_node_t *node;
	bool empty;
	if ((e = node_new(p, *cur, lt, lt + 1, n, &node)) != ERR_OK ||
	    (e = parse_attrs(p, node, &empty)) != ERR_OK)
		return e;
	if (!empty)
		*cur = node;
	else
		node->length = p->pos - lt;
	return ERR_OK;
}

/* text_join: node's pieces of character data, joined and trimmed, as its text. */
static err_t text_join(parser_t *p, xml_node_t *node)
{
	size_t total = 0, pieces = 0;
	seg_t *s;
	for (s = p->segs; s && s->owner == node; s = s->next)
		total += s->len, pieces++;
	char *text = pieces == 1 ? p->segs->data : NULL;
	if (pieces > 1) {
		err_t e = take(p, total + 1, (void **)&text);
		if (e != ERR_OK)
			return e;
		text[total] = 0;
		size_t k = total;
		for (s = p->segs; s && s->owner == node; s = s->next) {
			k -= s->len;
			memcpy(text + k, s->data, s->len);
		}
	}
	p->segs = s;
	if (!text)
		return ERR_OK;
	while (is_space(*text))
		text++, total--;
	while (total && is_space(text[total - 1]))
		text[--total] = 0;
	node->text = text;
	return ERR_OK;
}

/* parse_text: character data up to the next '<', kept for cur (NULL: outside the root). */
static err_t parse_text(parser_t *p, const xml_node_t *cur)
{
	size_t from = p->mark = p->pos, end = from, first = from;
	while (end < p->len && p->s[end] != '<')
		end++;
	while (first < end && is_space(p->s[first]))
		first++;
	p->pos = end;
	if (!cur && first < end)
		return fail(p, first, ERR_XML_SYNTAX, "text outside the root element");
	if (!cur || (first == end && (!p->segs || p->segs->owner != cur)))
		return ERR_OK; /* leading whitespace goes in the trimming anyway */
	seg_t *s;
	err_t e = take(p, sizeof(*s) + end - from + 1, (void **)&s);
	if (e == ERR_OK)
		e = decode(p, from, end, s->data, &s->len);
	if (e != ERR_OK)
		return e;
	s->owner = cur;
	s->next = p->segs;
	p->segs = s;
	return ERR_OK;
}

/* parse_end_tag: the end tag at the current "</", which must close *cur. */
static err_t parse_end_tag(parser_t *p, xml_node_t **cur)
{
	size_t lt = p->mark = p->pos, n;
	p->pos += 2;
	err_t e = scan_name(p, "an end tag", &n);
	if (e != ERR_OK)
		return e;
	const char *name = p->s + lt + 2;
	xml_node_t *node = *cur;
	if (!node)
		return fail(p, lt, ERR_XML_SYNTAX, "end tag '</%.*s>' outside the root element",
			    shown(n), name);
	if (strlen(node->name) != n || memcmp(node->name, name, n))
		return fail(p, lt, ERR_XML_SYNTAX,
			    "mismatched end tag '</%.*s>' for '%.*s' (opened at %u:%u)", shown(n),
			    name, shown(strlen(node->name)), node->name, node->line, node->column);
	skip_space(p);
	if (!looking_at(p, ">"))
		return fail(p, p->pos, ERR_XML_SYNTAX, "expected '>' to end '</%.*s'", shown(n),
			    name);
	p->pos++;
	node->length = p->pos - node->offset;
	*cur = node->parent;
	return text_join(p, node);
}

/* skip_comment: the comment at the current "<!--". */
static err_t skip_comment(parser_t *p)
{
	size_t open = p->pos;
	for (p->pos += 4; p->pos + 1 < p->len; p->pos++) {
		if (p->s[p->pos] != '-' || p->s[p->pos + 1] != '-')
			continue;
		if (p->pos + 2 < p->len && p->s[p->pos + 2] == '>') {
			p->pos += 3;
			return ERR_OK;
		}
		return fail(p, p->pos, ERR_XML_SYNTAX, "'--' inside a comment");
	}
	unsigned l, c;
	where(p, open, &l, &c);
	return fail(p, p->len, ERR_XML_SYNTAX, "unterminated comment (opened at %u:%u)", l, c);
}

/* skip_declaration: the <?xml ...?> declaration if the text starts with one. */
static err_t skip_declaration(parser_t *p)
{
	if (!looking_at(p, "<?xml") || (p->len > 5 && !is_space(p->s[5]) && p->s[5] != '?'))
		return ERR_OK;
	for (p->pos = 5; p->pos + 1 < p->len; p->pos++)
		if (p->s[p->pos] == '?' && p->s[p->pos + 1] == '>') {
			p->pos += 2;
			return ERR_OK;
		}
	return fail(p, p->len, ERR_XML_SYNTAX, "unterminated declaration (opened at 1:1)");
}

/* refuse_markup: the error for the unsupported markup at the current "<!" or "<?". */
static err_t refuse_markup(parser_t *p)
{
	if (looking_at(p, "<![CDATA["))
		return fail(p, p->pos, ERR_XML_SYNTAX, "CDATA sections are not supported");
	if (looking_at(p, "<!DOCTYPE"))
		return fail(p, p->pos, ERR_XML_SYNTAX, "DOCTYPE is not supported");
	if (looking_at(p, "<!"))
		return fail(p, p->pos, ERR_XML_SYNTAX, "unsupported markup '<!'");
	if (looking_at(p, "<?xml") &&
	    (p->pos + 5 == p->len || is_space(p->s[p->pos + 5]) || p->s[p->pos + 5] == '?'))
		return fail(p, p->pos, ERR_XML_SYNTAX,
			    "the <?xml ...?> declaration must come first");
	return fail(p, p->pos, ERR_XML_SYNTAX, "processing instructions are not supported");
}

/* parse_markup: the markup at the current '<', inside *cur (NULL: outside the root). */
static err_t parse_markup(parser_t *p, xml_node_t **cur)
{
	if (looking_at(p, "<!--"))
		return skip_comment(p);
	if (looking_at(p, "</"))
		return parse_end_tag(p, cur);
	if (looking_at(p, "<!") || looking_at(p, "<?"))
		return refuse_markup(p);
	if (!*cur && p->doc->root)
		return fail(p, p->pos, ERR_XML_SYNTAX, "a second root element");
	return parse_start_tag(p, cur);
}

/* parse_document: the whole text into p->doc. */
static err_t parse_document(parser_t *p)
{
	err_t e = check_input(p);
	if (e == ERR_OK)
		e = skip_declaration(p);
	xml_node_t *cur = NULL;
	while (e == ERR_OK && p->pos < p->len)
		e = p->s[p->pos] == '<' ? parse_markup(p, &cur) : parse_text(p, cur);
	if (e != ERR_OK)
		return e;
	if (cur)
		return fail(p, p->len, ERR_XML_SYNTAX, "unclosed element '%.*s' (opened at %u:%u)",
			    shown(strlen(cur->name)), cur->name, cur->line, cur->column);
	if (!p->doc->root)
		return fail(p, p->len, ERR_XML_SYNTAX, "no root element");
	return ERR_OK;
}

err_t xml_parse(const char *text, size_t len, const allocator_t *a, const xml_limits_t *limits,
		xml_doc_t *doc, xml_error_t *err)
{
	static const xml_limits_t defaults = XML_LIMITS_DEFAULT;
	if (!doc || !a || (!text && len))
		return ERR_INVALID_ARGS;
	*doc = (xml_doc_t){.alloc = a};
	parser_t p = {.s = text,
		      .len = len,
		      .lim = limits ? *limits : defaults,
		      .doc = doc,
		      .err = err,
		      .where_line = 1,
		      .where_col = 1};
	if (err)
		*err = (xml_error_t){.code = ERR_OK, .line = 1, .column = 1};
	err_t e = parse_document(&p);
	if (e != ERR_OK)
		xml_free(doc);
	return e;
}

void xml_free(xml_doc_t *doc)
{
	xml_chunk_t *c = doc->chunks;
	while (c) {
		xml_chunk_t *next = c->next;
		allocator_free(doc->alloc, c);
		c = next;
	}
	*doc = (xml_doc_t){.alloc = doc->alloc};
}
