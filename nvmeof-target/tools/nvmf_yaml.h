/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NVMF_YAML_H
#define NVMF_YAML_H

struct json_object;

/** Parse a YAML file into the equivalent json-c tree (NULL on error). */
struct json_object *nvmf_yaml_load(const char *path);

#endif
