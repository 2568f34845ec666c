/* SPDX-License-Identifier: BSD-3-Clause */
/* Write one valid message of every opcode, response and event kind into a
 * directory, as the seed corpus of fuzz_abi_check. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "codec_samples.h"

static uint8_t buf[256 * 1024] __attribute__((aligned(8)));

int main(int argc, char **argv)
{
	struct dpu_abi_sample s;
	unsigned i, n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	if (mkdir(argv[1], 0755) && errno != EEXIST) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; dpu_abi_sample(i, buf, sizeof(buf), &s); i++) {
		char path[4096];
		FILE *f;

		if (s.len <= 0) {
			fprintf(stderr, "sample %s: build failed %d\n", s.name,
				s.len);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/seed-%03u-%s", argv[1], i,
			 s.name);
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, (size_t)s.len, f) != (size_t)s.len ||
		    fclose(f)) {
			perror(path);
			return 1;
		}
		n++;
	}
	printf("%u seeds in %s\n", n, argv[1]);
	return 0;
}
