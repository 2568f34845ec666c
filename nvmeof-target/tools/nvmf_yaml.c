/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML front end for the dpu-nvmf configuration: libyaml's document tree
 * is converted to the json-c tree the JSON loader already validates, so
 * both formats share one schema and one set of error messages. Plain
 * scalars that look like integers or booleans become JSON numbers/booleans.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <yaml.h>

#include "nvmf_yaml.h"

static struct json_object *scalar(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;
	char *end;
	long long x;

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_object_new_string(v);
	if (!strcmp(v, "true") || !strcmp(v, "yes"))
		return json_object_new_boolean(1);
	if (!strcmp(v, "false") || !strcmp(v, "no"))
		return json_object_new_boolean(0);
	if (!strcmp(v, "null") || !strcmp(v, "~") || !*v)
		return NULL;
	errno = 0;
	x = strtoll(v, &end, 0);
	if (!errno && *end == 0)
		return json_object_new_int64(x);
	return json_object_new_string(v);
}

static struct json_object *convert(yaml_document_t *d, yaml_node_t *n, int depth)
{
	struct json_object *o;

	if (!n || depth > 32)
		return NULL;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return scalar(n);
	case YAML_SEQUENCE_NODE:
		o = json_object_new_array();
		for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++)
			json_object_array_add(o, convert(d, yaml_document_get_node(d, *i), depth + 1));
		return o;
	case YAML_MAPPING_NODE:
		o = json_object_new_object();
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(d, p->key);

			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			json_object_object_add(o, (const char *)k->data.scalar.value,
					       convert(d, yaml_document_get_node(d, p->value), depth + 1));
		}
		return o;
	default:
		return NULL;
	}
}

struct json_object *nvmf_yaml_load(const char *path)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct json_object *o = NULL;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "dpu-nvmf: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		fprintf(stderr, "dpu-nvmf: %s:%zu:%zu: %s\n", path, parser.problem_mark.line + 1,
			parser.problem_mark.column + 1, parser.problem ? parser.problem : "YAML error");
	} else {
		o = convert(&doc, yaml_document_get_root_node(&doc), 0);
		if (!o)
			fprintf(stderr, "dpu-nvmf: %s: empty YAML document\n", path);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return o;
}
