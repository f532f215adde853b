/*
 * An XML-subset parser for configs (doc/config.md has the accepted syntax):
 * elements, attributes, comments, character data, the five predefined
 * entities and ASCII character references. The whole text is checked before
 * a tree is handed out; errors carry line and column. Portable: memory comes
 * only from the allocator the caller passes, within xml_limits_t.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <abi/err.h>
#include <alloc/allocator.h>

typedef struct xml_attr {
	const char *name;
	const char *value; /* entities decoded, NUL-terminated */
	struct xml_attr *next;
	unsigned line, column; /* of the name */
} xml_attr_t;

typedef struct xml_node {
	const char *name;
	/* the character data directly inside, decoded, joined, trimmed; never NULL */
	const char *text;
	xml_attr_t *attrs; /* in document order */
	struct xml_node *parent, *children, *last_child, *next;
	unsigned line, column; /* of the '<' that opens it */
	size_t offset, length; /* its bytes in the text: from that '<' past its end tag's '>' */
	unsigned depth;	       /* the root has depth 1 */
	unsigned attr_count;
} xml_node_t;

typedef struct xml_limits {
	size_t max_input;   /* bytes of text */
	unsigned max_depth; /* nesting of elements; the root counts as 1 */
	unsigned max_nodes; /* elements in the document */
	unsigned max_attrs; /* attributes of one element */
	size_t max_value;   /* bytes of one attribute value, decoded */
	size_t max_memory;  /* bytes taken from the allocator, bookkeeping included */
} xml_limits_t;

#define XML_LIMITS_DEFAULT                                  \
	{                                                   \
		256 * 1024, 32, 4096, 32, 4096, 1024 * 1024 \
	}

#define XML_MESSAGE_SIZE 128

typedef struct xml_error {
	err_t code;
	size_t offset;	       /* byte offset of the offending character (len: the end) */
	unsigned line, column; /* 1-based, of that character; columns count bytes */
	char message[XML_MESSAGE_SIZE];
} xml_error_t;

struct xml_chunk;

typedef struct xml_doc {
	xml_node_t *root;
	const allocator_t *alloc;
	struct xml_chunk *chunks; /* every allocation of the document */
	size_t memory;		  /* bytes taken from alloc */
} xml_doc_t;

/*
 * xml_parse: parse the len bytes at text (no terminator needed) into *doc,
 * under limits (NULL: XML_LIMITS_DEFAULT). On success the caller owns doc
 * and frees it with xml_free; on failure nothing stays allocated, *doc is
 * empty and *err (if not NULL) says where and why. Errors: XML_SYNTAX,
 * XML_LIMIT, and the allocator's (OUT_OF_RAM, NO_MEMORY, ...).
 */
err_t xml_parse(const char *text, size_t len, const allocator_t *a, const xml_limits_t *limits,
		xml_doc_t *doc, xml_error_t *err);

/* xml_free: give back everything doc holds; an empty doc is a no-op. */
void xml_free(xml_doc_t *doc);

/* xml_first_child: node's first child element named name (NULL: any); NULL if none. */
const xml_node_t *xml_first_child(const xml_node_t *node, const char *name);

/* xml_next: the next sibling of node named name (NULL: any); NULL if none. */
const xml_node_t *xml_next(const xml_node_t *node, const char *name);

/* xml_has_name: whether node is an element named name. */
bool xml_has_name(const xml_node_t *node, const char *name);

/* xml_attr: the decoded value of node's attribute name; NULL if absent. */
const char *xml_attr(const xml_node_t *node, const char *name);

/*
 * xml_attr_u64: the value of attribute name as a number (decimal, 0x-hex,
 * decimal with K/M/G suffix) into *value, def if absent. XML_BAD_VALUE if
 * the attribute is present but no such number (*value is then def).
 */
err_t xml_attr_u64(const xml_node_t *node, const char *name, uint64_t def, uint64_t *value);

/*
 * xml_attr_bool: the value of attribute name, "yes"/"true" or "no"/"false",
 * into *value, def if absent. XML_BAD_VALUE for any other text (*value is
 * then def).
 */
err_t xml_attr_bool(const xml_node_t *node, const char *name, bool def, bool *value);
