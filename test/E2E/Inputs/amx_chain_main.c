/* amx-chain.test: runs the chain compiled with the AMX kernels (amx_chain)
   and with the generic ones (ref_chain) on the same random input and
   counts the outputs that differ. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void amx_chain(const int8_t *, int8_t *);
void ref_chain(const int8_t *, int8_t *);

int main(void) {
  static int8_t x[64 * 128], a[64 * 128], r[64 * 128];
  srand(3);
  for (int i = 0; i < 64 * 128; ++i)
    x[i] = (int8_t)(rand() % 256 - 128);
  amx_chain(x, a);
  ref_chain(x, r);
  int diffs = 0;
  for (int i = 0; i < 64 * 128; ++i)
    diffs += a[i] != r[i];
  printf("chain: %d of %d outputs differ\n", diffs, 64 * 128);
  return diffs != 0;
}
