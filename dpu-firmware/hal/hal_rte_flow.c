/* SPDX-License-Identifier: BSD-3-Clause */
#include "dpu_hal.h"
