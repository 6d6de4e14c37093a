// Generic harness for one compiled kernel `void kernel(const int8_t *in,
// int8_t *out)`: runner IN.bin OUT.bin OUT_BYTES.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

// INTQ_INPUTS=2: the input file holds two tensors of equal size, back to
// back, passed as two arguments.
#ifndef INTQ_INPUTS
#define INTQ_INPUTS 1
#endif
#if INTQ_INPUTS == 2
void kernel(const int8_t *a, const int8_t *b, int8_t *out);
#else
void kernel(const int8_t *in, int8_t *out);
#endif

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: runner IN.bin OUT.bin OUT_BYTES\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  fseek(f, 0, SEEK_END);
  long inBytes = ftell(f);
  fseek(f, 0, SEEK_SET);
  int8_t *in = malloc(inBytes > 0 ? inBytes : 1);
  if (fread(in, 1, inBytes, f) != (size_t)inBytes) {
    fprintf(stderr, "short read\n");
    return 2;
  }
  fclose(f);
  long outBytes = atol(argv[3]);
  int8_t *out = calloc(outBytes, 1);
#if INTQ_INPUTS == 2
  kernel(in, in + inBytes / 2, out);
#else
  kernel(in, out);
#endif
  FILE *o = fopen(argv[2], "wb");
  if (!o || fwrite(out, 1, outBytes, o) != (size_t)outBytes) {
    perror(argv[2]);
    return 2;
  }
  fclose(o);
  free(in);
  free(out);
  return 0;
}
