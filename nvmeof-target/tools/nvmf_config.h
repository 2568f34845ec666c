/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON configuration for dpu-nvmf (format: docs/nvmf.md, examples/). */
#ifndef NVMF_CONFIG_H
#define NVMF_CONFIG_H

#include <stdio.h>

#include "nvmf_tgt.h"

/** Read target options from the JSON file (only the "target" section). */
int nvmf_config_load_opts(const char *path, struct nvmf_tgt_opts *opts);
/**
 * Create subsystems, namespaces, hosts and listeners; listeners with port 0
 * get an ephemeral port. Each listener is reported to @report as
 * {"nqn":..,"traddr":..,"port":..} lines.
 */
int nvmf_config_apply(struct nvmf_tgt *tgt, const char *path, FILE *report);

#endif
