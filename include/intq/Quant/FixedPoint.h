//===- FixedPoint.h - Integer requantization arithmetic ---------*- C++ -*-===//
//
// Plain C++ (no MLIR) helpers for the intq arithmetic contract
// (see docs/ArithmeticContract.md): the real multiplier M = S1*S2/S3 encoded
// as an int32 M0 in [2^30, 2^31) and a power-of-two exponent, and the gemmlowp
// "fixedpoint" operations that apply it to an int32 accumulator.
//
// These are the single source of truth used by the compiler passes to compute
// constants; the generated code implements the same operations in MLIR arith
// ops. The unit tests check every function against gemmlowp's fixedpoint.h.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_QUANT_FIXEDPOINT_H
#define INTQ_QUANT_FIXEDPOINT_H

#include <cstdint>
#include <optional>

namespace intq {
namespace quant {

/// A real multiplier M ~= multiplier * 2^(shift - 31).
///
/// `multiplier` is in [2^30, 2^31) for normal values. `shift` > 0 is a left
/// shift applied before the high multiply (M >= 1), `shift` <= 0 a rounding
/// right shift after it. `shift` is in [-31, 30]. Multipliers too small to be
/// represented with shift >= -31 are denormalized (multiplier < 2^30, shift =
/// -31) and may become 0, in which case the requantized value is the zero
/// point.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
  int32_t leftShift() const { return shift > 0 ? shift : 0; }
  int32_t rightShift() const { return shift > 0 ? 0 : -shift; }
};

/// Encodes a positive, finite real multiplier. Returns std::nullopt when `m`
/// is not finite, not positive, or too large (>= 2^30, which would need a
/// left shift of 31) to be represented.
std::optional<QuantizedMultiplier> quantizeMultiplier(double m);

/// gemmlowp SaturatingRoundingDoublingHighMul: (a*b + nudge) / 2^31 with the
/// nudge 2^30 (p >= 0) or 1 - 2^30 (p < 0), division truncating toward zero,
/// and the single overflow case a = b = INT32_MIN saturated to INT32_MAX.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// gemmlowp RoundingDivideByPOT: x * 2^-exponent rounded to nearest, ties away
/// from zero. `exponent` in [0, 31].
int32_t roundingDivideByPOT(int32_t x, int exponent);

/// x * 2^left saturated to the int32 range (left in [0, 31]).
int32_t saturatingLeftShift(int32_t x, int left);

/// RDivPOT(SRDHM(x << left, M0), right): the gemmlowp/TFLite requantization
/// of an int32 accumulator by a QuantizedMultiplier (left shift saturating).
int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier qm);

/// Full output stage: clamp(zeroPoint + multiplyByQuantizedMultiplier(acc),
/// lo, hi).
int32_t requantize(int32_t acc, QuantizedMultiplier qm, int32_t zeroPoint,
                   int32_t lo, int32_t hi);

/// Output stage of a wide (int64) accumulator: the same operations as
/// `requantize` computed without intermediate saturation,
/// clamp(zeroPoint + RDivPOT(floor((acc * 2^left * M0 + 2^30) / 2^31),
/// right), lo, hi). Equal to `requantize` whenever acc and acc << left fit in
/// int32 (SRDHM with M0 >= 0 is that floor). Used where int16 activations or
/// long reductions can exceed int32 (docs/ArithmeticContract.md).
int32_t requantizeWide(int64_t acc, QuantizedMultiplier qm, int32_t zeroPoint,
                       int32_t lo, int32_t hi);

/// Output stage with a single rounding (TOSA's SINGLE_ROUND,
/// `#intq.rounding<single>`): clamp(zeroPoint + floor((acc * M0 + 2^(s-1)) /
/// 2^s), lo, hi) with s = 31 - qm.shift in [1, 62], computed exactly (no
/// intermediate saturation; the left shift of M >= 1 is part of s). The
/// product is rounded once, half toward +infinity, where `requantize`
/// rounds twice, each half away from zero.
int32_t requantizeSingleRound(int64_t acc, QuantizedMultiplier qm,
                              int32_t zeroPoint, int32_t lo, int32_t hi);

/// ONNX QuantizeLinear: clamp(roundHalfToEven(x / scale) + zeroPoint, qmin,
/// qmax), clamped in floating point before the conversion to integer. NaN maps
/// to qmin.
int32_t quantizeValue(float x, float scale, int32_t zeroPoint, int32_t qmin,
                      int32_t qmax);

/// (q - zeroPoint) * scale in float.
float dequantizeValue(int32_t q, float scale, int32_t zeroPoint);

/// Affine (asymmetric) parameters for a real range [rmin, rmax] over the
/// integer range [qmin, qmax]. The range is first extended to contain 0; the
/// zero point is the nudged integer that makes real 0 exactly representable.
struct AffineParams {
  double scale = 1.0;
  int32_t zeroPoint = 0;
};
std::optional<AffineParams> chooseAffineParams(double rmin, double rmax,
                                               int32_t qmin, int32_t qmax);

/// Symmetric scale for values with max |x| = `maxAbs` over [-qmax, qmax]
/// (zero point 0). A zero or denormal range gets a tiny positive scale so the
/// scale stays valid; returns std::nullopt for NaN/inf input.
std::optional<double> chooseSymmetricScale(double maxAbs, int32_t qmax);

} // namespace quant
} // namespace intq

#endif // INTQ_QUANT_FIXEDPOINT_H
