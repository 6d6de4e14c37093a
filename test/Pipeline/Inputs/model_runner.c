// Runs the demo model (entry `model`, 1x16x16x3 f32 -> 1x10 f32) on a
// few deterministic pseudo-random inputs and prints the outputs exactly
// (C99 hex floats), so that two builds can be compared bit for bit.
#include <stdint.h>
#include <stdio.h>

void model(const float *in0, float *out0);

int main(void) {
  float in[16 * 16 * 3], out[10];
  uint32_t state = 12345u;
  for (int image = 0; image < 8; ++image) {
    for (int i = 0; i < 16 * 16 * 3; ++i) {
      state = state * 1664525u + 1013904223u;
      in[i] = (float)((int32_t)(state >> 8) % 2400) / 1000.0f; // [-2.4, 2.4]
    }
    model(in, out);
    for (int k = 0; k < 10; ++k)
      printf("%a%c", out[k], k == 9 ? '\n' : ' ');
  }
  return 0;
}
