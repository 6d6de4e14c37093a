//===- QuantLowering.h - shared helpers of the integer lowering -*- C++ -*-===//
//
// Internal to passes/: arith builders for the gemmlowp requantization and
// the quant.qcast/dcast element mappings, shared by the lowering patterns.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_PASSES_QUANTLOWERING_H
#define INTQ_PASSES_QUANTLOWERING_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace intq {

/// Values (i32, or vectors of i32 of x's shape) of one output channel's
/// output stage. Every builder below works on scalars and on vectors.
struct RequantParams {
  mlir::Value multiplier; // M0, i32 in [0, 2^31)
  mlir::Value leftShift;  // i32 in [0, 30]; null when no channel needs it
  mlir::Value rightShift; // i32 in [0, 31]
  mlir::Value zeroPoint;  // i32
  mlir::Value lo, hi;     // i32 clamp bounds (fused activation + storage);
                          // lo - zeroPoint and hi - zeroPoint fit int32.
                          // lo and hi null: no clamp (zp + r, the caller
                          // proves it cannot wrap; the plain forms only);
                          // zeroPoint null too: no output stage at all
                          // (an intermediate rescale)

  // Cheaper forms of the same arithmetic for the kernels' vectors:
  /// SRDHM on i64 lane pairs (buildSRDHMPairedLanes); x must be a vector
  /// of an even number of i32.
  bool pairedLanes = false;
  /// When set, RDivPOT is computed as (x + roundNudge + ((x >> 31) &
  /// roundNegMask)) >> rightShift with roundNudge = 2^(right-1) and
  /// roundNegMask = -1 (both 0 where right = 0): the same value, in three
  /// operations fewer, but only where the caller has proved that
  /// x + roundNudge cannot overflow int32.
  mlir::Value roundNudge, roundNegMask;
  /// roundNudge also holds zeroPoint << rightShift: the zero point is added
  /// before the shift (the same value, one operation fewer; the caller
  /// proves that the sum cannot overflow). zeroPoint is then unused.
  bool zeroPointInNudge = false;

  /// AArch64 (x a vector of 4, 8 or 16 i32): SRDHM as
  /// intq.aarch64.sqrdmulh and RDivPOT in gemmlowp's NEON form,
  /// srshl(h + ((h & -right) >> 31), -right) (intq.aarch64.srshl): with
  /// rightShift holding -right (so its sign bit marks right > 0).
  /// With singleRound (every s >= 32): srshl(sqdmulh(x, M0), 31 - s),
  /// rightShift holding 31 - s.
  bool neon = false;

  /// #intq.rounding<single>: clamp(zp + floor((x * M0 + 2^(s-1)) / 2^s),
  /// lo, hi) computed exactly, with rightShift holding s in [1, 62] and
  /// leftShift unused (buildRequantizeSingleRound).
  bool singleRound = false;
  /// Single rounding on i64 lane pairs where every s >= 32 (x86; set with
  /// pairedLanes): roundEven / roundOdd (vector<N/2 x i64>) hold 2^(s-1)
  /// of the even / odd lanes, plus zp * 2^s when zeroPointInNudge (the
  /// caller proves x * M0 + round cannot overflow i64), and rightShift
  /// holds s - 32 (null when every s is 32).
  ///
  /// Without singleRound, the double rounding on i64 lane pairs in one
  /// rounding step, on unsigned products of a biased accumulator (x86; set
  /// with pairedLanes; no left shift): x holds a + 2^31 (the kernel's
  /// initial accumulator carries the 2^31, so x read unsigned is a + 2^31
  /// in [0, 2^32)), `multiplier` holds 2 M0 read unsigned, roundEven /
  /// roundOdd hold 2^31 + 2^(31+right) - 2^32 (M0 + 1), plus zp *
  /// 2^(32+right) when zeroPointInNudge (oneStepRoundingTerm), and the
  /// result is (hi32(x_u * 2M0 + round) + (x >>u 31)) >> right: the high
  /// halves of 2a * M0 + 2^31 + 2^(31+right), with a's sign term -[a < 0]
  /// = -1 + [x_u >= 2^31] (x_u * 2M0 = 2a * M0 + 2^32 M0). One vpmuludq
  /// per lane pair and half, no doubling, the sign term a logical shift.
  /// The caller proves every right >= 1, |a| < 2^30 and |2a * M0 +
  /// 2^31 + 2^(31+right) (+ zp * 2^(32+right))| <= 2^62
  /// (oneStepRoundingWorst).
  mlir::Value roundEven, roundOdd;
};

/// The one-step double rounding on lane pairs (RequantParams::roundEven
/// without singleRound) for a channel of multiplier M0 and right shift
/// `right` >= 1: the largest |2x * M0 + round| over |x| <= bound, with the
/// zero point `zp` in the rounding term (0: without it). The form needs it
/// at most 2^62.
__int128 oneStepRoundingWorst(int64_t bound, int64_t m0, int64_t right,
                              int64_t zp);
/// That channel's i64 rounding term: 2^31 + 2^(31+right) + zp *
/// 2^(32+right) - 2^32 (M0 + 1), modulo 2^64 (it may wrap; so do the
/// kernels' 64-bit sums, and the high half of the true value fits int32).
int64_t oneStepRoundingTerm(int64_t m0, int64_t right, int64_t zp);

/// True when the form buildRequantize takes for `p` adds the zero point
/// before the clamp (it rides in the rounding term, zeroPointInNudge, or
/// the exact single rounding adds it in i64): the result is then
/// clamp(v, lo, hi) of one value v, so a caller may pass wider bounds and
/// apply the rest of [lo, hi] afterwards. Otherwise the forms clamp to
/// [lo - zp, hi - zp] before adding zp, and lo, hi must be the real bounds.
bool addsZeroPointBeforeClamp(const RequantParams &p);

/// Emits `clamp(zp + RDivPOT(SRDHM(sat(x << left), M0), right), lo, hi)` on
/// i32 scalars with the gemmlowp semantics (docs/ArithmeticContract.md).
mlir::Value buildRequantize(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value x, const RequantParams &p);

/// The single-rounding output stage (RequantParams::singleRound) of an i32
/// or i64 accumulator `x`, exact in i64 (i32 x) or i128 (i64 x). Returns
/// i32. Called by buildRequantize / buildRequantizeWide when singleRound is
/// set.
mlir::Value buildRequantizeSingleRound(mlir::OpBuilder &b, mlir::Location loc,
                                       mlir::Value x, const RequantParams &p);

/// gemmlowp SaturatingRoundingDoublingHighMul for i32 `a` and i32 `m` where
/// m is known to be in [0, 2^31) (so the overflow case cannot occur),
/// computed as floor((a*m + 2^30) / 2^31) in 64 bits (the same value).
mlir::Value buildSRDHM(mlir::OpBuilder &b, mlir::Location loc, mlir::Value a,
                       mlir::Value m);

/// buildSRDHM for a vector<N x i32> `a` and `m` (N even) with 64-bit
/// products on lane pairs: the vector viewed as N/2 x i64, even lanes
/// sign-extended in place ((v << 32) >> 32), odd lanes shifted down
/// (v >> 32), so that each product is one 32 x 32 -> 64-bit signed multiply
/// (x86 vpmuldq) and the results are blended back without widening the
/// whole vector. The same values as buildSRDHM (little-endian targets).
mlir::Value buildSRDHMPairedLanes(mlir::OpBuilder &b, mlir::Location loc,
                                  mlir::Value a, mlir::Value m);

/// The same requantization of a wide (i64) accumulator `x`, computed
/// exactly in i128; params as above (i32). Equal to buildRequantize whenever
/// x and x << left fit in int32, and to the clamped exact value otherwise
/// (docs/ArithmeticContract.md, "Wide accumulators"). Returns i32.
mlir::Value buildRequantizeWide(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Value x, const RequantParams &p);

/// gemmlowp RoundingDivideByPOT on x (any integer width) with an exponent of
/// the same type in [0, 31].
mlir::Value buildRoundingDivideByPOT(mlir::OpBuilder &b, mlir::Location loc,
                                     mlir::Value x, mlir::Value exponent);

/// intq.add's constants (the TFLite reference arithmetic): both offsets
/// (q - zp) shifted left by `leftShift` = 28 - the wider input's storage
/// width, rescaled by `lhs` / `rhs` to the scale 2 max(S_a, S_b), added,
/// and the sum requantized by `out` around `outZp` into [lo, hi] (the
/// storage range and the fused clamp).
struct AddRescale {
  struct Multiplier {
    int32_t m0, left, right; // M0 in [0, 2^31), shifts in [0, 31]
  };
  int32_t leftShift;
  Multiplier lhs, rhs, out;
  int32_t lhsZp, rhsZp, outZp, lo, hi;
};

/// The constants of an add of `a` and `b` into `out`; std::nullopt when a
/// scale ratio has no fixed-point multiplier.
std::optional<AddRescale>
getAddRescale(mlir::quant::UniformQuantizedType a,
              mlir::quant::UniformQuantizedType b,
              mlir::quant::UniformQuantizedType out,
              std::optional<double> clampMin, std::optional<double> clampMax);

/// One input of intq.add rescaled, an i32 term of the sum:
/// RDivPOT(SRDHM((q - zp) << leftShift, m.m0), m.right) of the stored
/// value `q` (an i32 scalar or vector, already extended from storage). With
/// `vectorForm` (8-bit inputs: leftShift 20, m.left 0) the same value in
/// i32 lanes without 64-bit products: d * Mh + ((d * Ml + 2^10) >> 11) for
/// d = q - zp and m.m0 = Mh * 2^11 + Ml, then the rounding shift as (y +
/// 2^(right-1) - (y < 0)) >> right.
mlir::Value buildAddInputRescale(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value q, int32_t zp,
                                 const AddRescale::Multiplier &m,
                                 int32_t leftShift, bool vectorForm);

/// The add of the stored values `a` and `b` (i32 scalars or vectors, already
/// extended from storage), an i32 in [lo, hi]. With `vectorForm` (x86:
/// vectors of an even number of lanes, both inputs 8-bit) the inputs are
/// rescaled in i32 lanes (buildAddInputRescale), the output's SRDHM runs
/// on i64 lane pairs (buildSRDHMPairedLanes) and each rounding shift is
/// (x + 2^(s-1) - (x < 0)) >> s, which cannot overflow there: |(q - zp) <<
/// 20| < 2^28 gives rescaled terms below 2^28, a sum below 2^29 (when the
/// output multiplier has no left shift; otherwise the sum takes the general
/// form). The same values in every form. With `clampOutput` false (the
/// vector form without a left shift only), the result is zp + the rescaled
/// sum unclamped (|sum| < 2^29: no wrap), for a narrowing that saturates to
/// the storage range itself; [lo, hi] is then the caller's. In the vector
/// form the output rescale takes the one-step double rounding on lane
/// pairs (RequantParams::roundEven: unsigned products of the sum plus
/// 2^31) where its bounds hold.
mlir::Value buildAdd(mlir::OpBuilder &b, mlir::Location loc, mlir::Value a,
                     mlir::Value bv, const AddRescale &r, bool vectorForm,
                     bool clampOutput = true);

/// An integer constant of type `t`: a scalar, or a splat when `t` is a
/// vector type.
mlir::Value intConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type t,
                        int64_t v);

/// clamp(roundeven(x / scale) + zeroPoint, qmin, qmax) as i32, for f32
/// `x` (a scalar or a vector; `scale` and `zeroPoint` f32 of the same
/// type): quant.qcast's per-element arithmetic, shared by its integer
/// lowering and the x86 vector loop of --intq-codegen.
mlir::Value buildQuantizeF32(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value x, mlir::Value scale,
                             mlir::Value zeroPoint, float qmin, float qmax);

/// The i8 tensor `input` with each element's sign bit flipped (x ^ 0x80):
/// uint8 storage read as int8 minus 128, and back (a linalg.generic).
mlir::Value flipSignBit(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value input);

/// A dense integer tensor constant of `shape` and element type `elem`
/// (values truncated to its width).
mlir::Value denseIntConstant(mlir::OpBuilder &b, mlir::Location loc,
                             llvm::ArrayRef<int64_t> shape, mlir::Type elem,
                             llvm::ArrayRef<int64_t> values);

/// Integer value range of the storage type after a fused real clamp
/// [clampMin, clampMax] (either may be absent) for an output of `type`.
std::pair<int64_t, int64_t>
getClampedStorageRange(mlir::quant::UniformQuantizedType type,
                       std::optional<double> clampMin,
                       std::optional<double> clampMax);

} // namespace intq

#endif // INTQ_PASSES_QUANTLOWERING_H
