/*
 * Walks a parsed XML document and counts broken promises of xml.h: links
 * between parents, children and siblings, depths, counts within the limits,
 * well-formed names, values within their limit, trimmed text. Shared by
 * the unit tests and the fuzz target.
 */
#pragma once

#include <string.h>
#include <xml.h>

static inline int tree_name_ok(const char *n)
{
	if (!n || !*n || (*n >= '0' && *n <= '9') || *n == '-' || *n == '.')
		return 0;
	for (; *n; n++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:.-",
			    *n))
			return 0;
	return 1;
}

static inline int tree_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* tree_check_node: the broken promises of one element (not of its children). */
static inline int tree_check_node(const xml_node_t *n, const xml_limits_t *lim)
{
	int bad = !tree_name_ok(n->name) + (n->depth > lim->max_depth) + !n->text;
	size_t tl = n->text ? strlen(n->text) : 0;
	if (tl && (tree_space(n->text[0]) || tree_space(n->text[tl - 1])))
		bad++;
	unsigned attrs = 0;
	for (const xml_attr_t *a = n->attrs; a; a = a->next, attrs++) {
		bad += !tree_name_ok(a->name) + !a->value;
		if (a->value && strlen(a->value) > lim->max_value)
			bad++;
		for (const xml_attr_t *b = a->next; b; b = b->next)
			bad += !strcmp(a->name, b->name);
	}
	bad += attrs != n->attr_count || attrs > lim->max_attrs;
	const xml_node_t *last = NULL;
	for (const xml_node_t *c = n->children; c; c = c->next) {
		bad += c->parent != n || c->depth != n->depth + 1;
		last = c;
	}
	return bad + (last != n->last_child);
}

/* tree_check: the broken promises of doc; *elements gets the number of elements. */
static inline int tree_check(const xml_doc_t *doc, const xml_limits_t *lim, unsigned *elements)
{
	const xml_node_t *r = doc->root, *n = r;
	int bad = !r || r->parent || r->next || r->depth != 1 || doc->memory > lim->max_memory;
	unsigned count = 0;
	/* depth-first without recursion: down to the first child, else on to the next sibling
	 * of the nearest ancestor that has one */
	while (n && count <= lim->max_nodes) {
		count++;
		bad += tree_check_node(n, lim);
		if (n->children) {
			n = n->children;
			continue;
		}
		while (n && n != r && !n->next)
			n = n->parent;
		n = n && n != r ? n->next : NULL;
	}
	*elements = count;
	return bad + (count > lim->max_nodes);
}
