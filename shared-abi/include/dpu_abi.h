/* SPDX-License-Identifier: BSD-3-Clause */
/* opendpu shared ABI: everything a host or card component needs. */
#ifndef DPU_ABI_H
#define DPU_ABI_H

#include "dpu_abi_wire.h"
#include "dpu_abi_flow.h"
#include "dpu_abi_services.h"
#include "dpu_abi_codec.h"
#include "dpu_abi_transport.h"

#endif /* DPU_ABI_H */
