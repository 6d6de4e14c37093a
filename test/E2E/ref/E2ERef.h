//===- E2ERef.h - the end-to-end oracle's case generator and reference ----===//
//
// Generates a quantized conv2d / grouped / depthwise conv, matmul, add or
// pooling case as intq MLIR at the quantized level plus its inputs, and
// computes the expected output bit for bit with an independent
// implementation of the arithmetic contract built on gemmlowp's
// fixedpoint.h, and the float model's output.
//
// It deliberately shares no code with intq (no intq or MLIR headers). Used by
// the intq-e2e-ref tool (test/E2E/run_sweep.py) and by intq-codegen-fuzzer.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_E2E_REF_E2EREF_H
#define INTQ_E2E_REF_E2EREF_H

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace e2eref {

/// Storage of a generated tensor: int8, uint8, or int16 (symmetric narrow
/// range [-32767, 32767], as intq's int16 activations). Buffers hold the
/// storage little endian, 1 or 2 bytes per element.
struct Storage {
  int bits = 8;
  bool isUnsigned = false;
  int32_t lo() const { return bits == 16 ? -32767 : isUnsigned ? 0 : -128; }
  int32_t hi() const { return bits == 16 ? 32767 : isUnsigned ? 255 : 127; }
  /// The quantized type's storage as !quant.uniform spells it.
  std::string type() const {
    return bits == 16 ? "i16<-32767:32767>" : isUnsigned ? "u8" : "i8";
  }
  /// 8 or 16 bits, and not unsigned 16.
  bool valid() const { return bits == 8 || (bits == 16 && !isUnsigned); }
  void append(std::vector<uint8_t> &bytes, int64_t v) const {
    bytes.push_back(uint8_t(v & 0xFF));
    if (bits == 16)
      bytes.push_back(uint8_t((v >> 8) & 0xFF));
  }
  int32_t decode(const std::vector<uint8_t> &bytes, size_t i) const {
    if (bits == 16)
      return int16_t(uint16_t(bytes[2 * i] | (bytes[2 * i + 1] << 8)));
    return isUnsigned ? int32_t(bytes[i]) : int32_t(int8_t(bytes[i]));
  }
};

/// --kind=conv|dwconv|matmul: one intq.conv2d (grouped with `groups`,
/// depthwise with kind "dwconv": groups = c, o = c * mult) or intq.matmul
/// with per-channel int8 weights, an int32 bias and a fused activation.
struct GemmSpec {
  std::string kind; // conv, dwconv or matmul
  uint64_t seed = 1;
  // conv / dwconv (NHWC input, OHWI weights)
  int64_t n = 1, h = 1, w = 1, c = 1, o = 1, kh = 1, kw = 1, groups = 1;
  int64_t mult = 1; // dwconv: channel multiplier
  std::array<int64_t, 2> stride = {1, 1}, dilation = {1, 1};
  std::array<int64_t, 4> pad = {0, 0, 0, 0}; // top, bottom, left, right
  // matmul: [m, k] x [nout, k]^T
  int64_t m = 1, k = 1, nout = 1;
  int32_t inZp = 0;
  Storage in, out;
  std::string act = "none"; // none, relu, relu6
  double outScaleMul = 1, wScaleMin = 1e-4, wScaleMax = 1;
  int weightBits = 8; // 8, 7 ([-63, 63]), 4 ([-8, 7]) or 2 (ternary)
  /// Mostly real zeros with a few +-1 steps: small accumulators, so that
  /// multipliers >= 1 give results inside the output range.
  bool sparse = false;
  /// matmul: the first row takes the sign of the first channel's weights at
  /// full scale (its accumulator reaches max|q_in| * sum|q_w|).
  bool correlated = false;
  /// "double" (gemmlowp, the default) or "single": TOSA SINGLE_ROUND,
  /// floor((acc * M0 + 2^(s-1)) / 2^s), s = 31 - shift
  /// (`rounding = #intq.rounding<single>` on the op).
  std::string rounding = "double";
};

/// --kind=add: two tensors added with the TFLite reference arithmetic.
struct AddSpec {
  uint64_t seed = 1;
  int64_t n = 1, h = 1, w = 1, c = 1;
  Storage in, out;
  std::string act = "none"; // none, relu
  double scaleRatio = 3.7, outScaleMul = 1;
  int32_t inZp = 0, inZpB = 0;
};

/// --kind=maxpool|avgpool: scale-preserving integer pooling.
struct PoolSpec {
  bool isMax = true;
  uint64_t seed = 1;
  int64_t n = 1, h = 1, w = 1, c = 1, kh = 2, kw = 2;
  std::array<int64_t, 2> stride = {1, 1};
  std::array<int64_t, 4> pad = {0, 0, 0, 0};
  Storage in;
  int32_t inZp = 0;
};

/// A generated case.
struct Case {
  /// func.func @kernel at the quantized intq level.
  std::string mlir;
  /// The inputs' storage, back to back (two equal halves for add).
  std::vector<uint8_t> input;
  /// The expected output's storage, and the float model's output.
  std::vector<uint8_t> expected;
  std::vector<float> floatOut;
  /// Element counts (inputs together), output quantization and storage.
  int64_t inCount = 0, outCount = 0;
  double outScale = 0;
  int32_t outZp = 0;
  Storage outStorage;
  int numInputs = 1;
  /// One line describing the case (multipliers, clamping, ...).
  std::string summary;
};

/// The error generate() returns when the reference's two output stages (the
/// int32 gemmlowp one and the exact wide one) disagree: a bug in the oracle
/// itself, never in the case.
extern const char *const kOutputStagesDisagree;

/// Generate a case. Return an empty string on success, else why the spec
/// has no case (invalid parameters, a multiplier outside the contract, an
/// accumulator beyond 2^62, ...).
std::string generate(const GemmSpec &spec, Case &out);
std::string generate(const AddSpec &spec, Case &out);
std::string generate(const PoolSpec &spec, Case &out);

} // namespace e2eref

#endif // INTQ_E2E_REF_E2EREF_H
