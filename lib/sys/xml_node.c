/* Reading the tree xml_parse builds: children and siblings by name, attributes. */
#include <xml.h>
#include <mem.h>
#include <number.h>

bool xml_has_name(const xml_node_t *node, const char *name)
{
	return node && !strcmp(node->name, name);
}

/* first_named: node or the first of its later siblings named name (NULL: any). */
static const xml_node_t *first_named(const xml_node_t *node, const char *name)
{
	while (node && name && strcmp(node->name, name))
		node = node->next;
	return node;
}

const xml_node_t *xml_first_child(const xml_node_t *node, const char *name)
{
	return node ? first_named(node->children, name) : NULL;
}

const xml_node_t *xml_next(const xml_node_t *node, const char *name)
{
	return node ? first_named(node->next, name) : NULL;
}

const char *xml_attr(const xml_node_t *node, const char *name)
{
	for (const xml_attr_t *a = node ? node->attrs : NULL; a; a = a->next)
		if (!strcmp(a->name, name))
			return a->value;
	return NULL;
}

err_t xml_attr_u64(const xml_node_t *node, const char *name, uint64_t def, uint64_t *value)
{
	const char *v = xml_attr(node, name);
	*value = def;
	if (!v)
		return ERR_OK;
	return number_parse(v, strlen(v), value) ? ERR_OK : ERR_XML_BAD_VALUE;
}

err_t xml_attr_bool(const xml_node_t *node, const char *name, bool def, bool *value)
{
	const char *v = xml_attr(node, name);
	*value = def;
	if (!v)
		return ERR_OK;
	if (!strcmp(v, "yes") || !strcmp(v, "true"))
		*value = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false"))
		*value = false;
	else
		return ERR_XML_BAD_VALUE;
	return ERR_OK;
}
