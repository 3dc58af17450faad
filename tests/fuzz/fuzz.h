/*
 * fuzz.h - what every harness shares: libFuzzer's entry points, and the
 * check that turns a broken property into a finding.
 */
#ifndef MELDPUNT_FUZZ_H
#define MELDPUNT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * FUZZ_CHECK: abort when a property of the code under test does not hold;
 * libFuzzer then keeps the input, and the stack trace names the line.
 */
#define FUZZ_CHECK(cond)	do { if (!(cond)) abort(); } while (0)

#endif
