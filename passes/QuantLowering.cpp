//===- QuantLowering.cpp - arith builders for requantization --------------===//

#include "QuantLowering.h"

#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Quant/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;

Value intq::intConstant(OpBuilder &b, Location loc, Type t, int64_t v) {
  if (auto vt = llvm::dyn_cast<VectorType>(t))
    return arith::ConstantOp::create(
        b, loc, vt,
        DenseElementsAttr::get(
            vt, b.getIntegerAttr(vt.getElementType(), v).getValue()));
  return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, v));
}

Value intq::buildQuantizeF32(OpBuilder &b, Location loc, Value x,
                             Value scale, Value zeroPoint, float qmin,
                             float qmax) {
  Type t = x.getType();
  auto fc = [&](float v) -> Value {
    FloatAttr a = b.getF32FloatAttr(v);
    if (auto vt = llvm::dyn_cast<VectorType>(t))
      return arith::ConstantOp::create(b, loc, vt,
                                       DenseElementsAttr::get(vt, a));
    return arith::ConstantOp::create(b, loc, t, a);
  };
  Value v = arith::DivFOp::create(b, loc, x, scale);
  // Clamp first, to [qmin - Z, qmax - Z] (maxnum/minnum send NaN to qmin),
  // so that the rounding below is exact and no second clamp is needed:
  // equal to clamp(roundeven(v) + Z, qmin, qmax).
  v = arith::MaxNumFOp::create(b, loc, v,
                               arith::SubFOp::create(b, loc, fc(qmin), zeroPoint));
  v = arith::MinNumFOp::create(b, loc, v,
                               arith::SubFOp::create(b, loc, fc(qmax), zeroPoint));
  // Round half to even without libm: for |v| < 2^22, adding and
  // subtracting 1.5 * 2^23 rounds in the default IEEE mode.
  Value magic = fc(12582912.0f);
  v = arith::SubFOp::create(b, loc, arith::AddFOp::create(b, loc, v, magic),
                            magic);
  v = arith::AddFOp::create(b, loc, v, zeroPoint);
  Type i32 = b.getI32Type();
  if (auto vt = llvm::dyn_cast<VectorType>(t))
    i32 = VectorType::get(vt.getShape(), i32);
  return arith::FPToSIOp::create(b, loc, i32, v);
}

Value intq::flipSignBit(OpBuilder &b, Location loc, Value input) {
  auto ty = llvm::cast<RankedTensorType>(input.getType());
  int64_t rank = ty.getRank();
  SmallVector<Value> dyn;
  for (int64_t i = 0; i < rank; ++i)
    if (ty.isDynamicDim(i))
      dyn.push_back(tensor::DimOp::create(b, loc, input, i));
  Type i8 = b.getI8Type();
  Value init = tensor::EmptyOp::create(b, loc, ty.getShape(), i8, dyn);
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, b.getContext());
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{input},
             ValueRange{init}, ArrayRef<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   nb, l,
                   ValueRange{arith::XOrIOp::create(
                       nb, l, args[0], intConstant(nb, l, i8, -128))});
             })
      .getResult(0);
}

Value intq::denseIntConstant(OpBuilder &b, Location loc,
                             ArrayRef<int64_t> shape, Type elem,
                             ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, elem);
  SmallVector<APInt> vals;
  vals.reserve(values.size());
  unsigned width = elem.getIntOrFloatBitWidth();
  for (int64_t v : values)
    vals.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
  return arith::ConstantOp::create(b, loc,
                                   DenseIntElementsAttr::get(type, vals));
}

/// `elem`, or a vector of `elem` with the shape of `like` when that is a
/// vector: the builders below work on scalars and on vectors alike.
static Type shapedLike(Value like, Type elem) {
  if (auto vt = llvm::dyn_cast<VectorType>(like.getType()))
    return vt.clone(elem);
  return elem;
}

Value intq::buildSRDHM(OpBuilder &b, Location loc, Value a, Value m) {
  // gemmlowp's (a*m + nudge) / 2^31 toward zero, nudge 2^30 or 1 - 2^30 by
  // the sign of a*m, is exactly floor((a*m + 2^30) / 2^31) when m >= 0
  // (docs/ArithmeticContract.md; FixedPoint unit tests): one add and one
  // arithmetic shift instead of a compare, a select and a signed division.
  Type i64 = shapedLike(a, b.getI64Type()), i32 = shapedLike(a, b.getI32Type());
  Value a64 = arith::ExtSIOp::create(b, loc, i64, a);
  Value m64 = arith::ExtSIOp::create(b, loc, i64, m);
  Value p = arith::MulIOp::create(b, loc, a64, m64);
  Value sum = arith::AddIOp::create(b, loc, p, intq::intConstant(b, loc, i64, int64_t(1) << 30));
  Value q = arith::ShRSIOp::create(b, loc, sum, intq::intConstant(b, loc, i64, 31));
  return arith::TruncIOp::create(b, loc, i32, q);
}

/// The 64-bit products a[i] * m[i] of an i32 vector's even lanes (odd =
/// false) or odd lanes (odd = true), signed or with `isUnsigned` unsigned,
/// on lane pairs without widening the vector: a vector<n/2 x i64>, one
/// vpmuldq / vpmuludq on x86.
static Value buildLanePairProducts(OpBuilder &b, Location loc, Value a,
                                   Value m, bool odd, bool isUnsigned = false) {
  auto vt = llvm::cast<VectorType>(a.getType());
  int64_t n = vt.getNumElements();
  auto pairs = VectorType::get({n / 2}, b.getI64Type());
  // Each operand's even lane of a pair (the odd lane moved there by a
  // shuffle), extended to 64 bits: sign-extended as shl + ashr by 32, or
  // zero-extended as a mask. Not ashr / lshr by 32 for the odd lanes: both
  // operands of the multiply must show the extension pattern, which LLVM
  // sinks next to the multiply when LICM has hoisted the multipliers' half
  // out of the loop (and it drops a mask after a shift as redundant), for
  // the backend to see that both fit in 32 bits and select vpmuldq /
  // vpmuludq (1 uop) instead of the full 64-bit vpmullq (3 uops, 15 cycles
  // on Intel cores).
  SmallVector<int64_t> oddToEven;
  for (int64_t i = 0; i < n; ++i)
    oddToEven.push_back(i | 1);
  Value c32 = isUnsigned ? Value() : intq::intConstant(b, loc, pairs, 32);
  auto lane = [&](Value v) -> Value {
    if (odd)
      v = vector::ShuffleOp::create(b, loc, v, v, oddToEven);
    Value p = vector::BitCastOp::create(b, loc, pairs, v);
    if (isUnsigned)
      return arith::AndIOp::create(
          b, loc, p, intq::intConstant(b, loc, pairs, 0xffffffffll));
    return arith::ShRSIOp::create(b, loc,
                                  arith::ShLIOp::create(b, loc, p, c32), c32);
  };
  return arith::MulIOp::create(b, loc, lane(a), lane(m));
}

Value intq::buildSRDHMPairedLanes(OpBuilder &b, Location loc, Value a,
                                  Value m) {
  auto vt = llvm::cast<VectorType>(a.getType());
  int64_t n = vt.getNumElements();
  auto pairs = VectorType::get({n / 2}, b.getI64Type());
  // floor((p + 2^30) / 2^31) fits i32: bits 31..62 of p + 2^30. Even
  // lanes keep them in the low half (>> 31), odd lanes in the high half
  // (<< 1; |p + 2^30| < 2^62, so the shift does not overflow).
  Value nudge = intq::intConstant(b, loc, pairs, int64_t(1) << 30);
  Value even = arith::AddIOp::create(
      b, loc, buildLanePairProducts(b, loc, a, m, /*odd=*/false), nudge);
  Value odd = arith::AddIOp::create(
      b, loc, buildLanePairProducts(b, loc, a, m, /*odd=*/true), nudge);
  Value c31 = intq::intConstant(b, loc, pairs, 31);
  even = arith::ShRUIOp::create(b, loc, even, c31);
  // A constant multiplier (intq.add's kernel): LLVM folds a `<< 1` of the
  // odd products into the constant, 2 M0 >= 2^31 no longer fits the signed
  // 32-bit multiply and it selects vpmullq (3 uops); there the odd results
  // are shifted down as the even ones and taken from their low halves.
  bool constantM = matchPattern(m, m_Constant());
  odd = constantM
            ? arith::ShRUIOp::create(b, loc, odd, c31).getResult()
            : arith::ShLIOp::create(b, loc, odd,
                                    intq::intConstant(b, loc, pairs, 1))
                  .getResult();
  SmallVector<int64_t> mask;
  for (int64_t i = 0; i < n; ++i)
    mask.push_back(i % 2 ? n + i - (constantM ? 1 : 0) : i);
  return vector::ShuffleOp::create(b, loc,
                                   vector::BitCastOp::create(b, loc, vt, even),
                                   vector::BitCastOp::create(b, loc, vt, odd),
                                   mask);
}

Value intq::buildRoundingDivideByPOT(OpBuilder &b, Location loc, Value x,
                                     Value exponent) {
  // Generic over the integer width of x (i32, or i128 in the wide path).
  Type t = x.getType();
  Value one = intq::intConstant(b, loc, t, 1), zero = intq::intConstant(b, loc, t, 0);
  // mask = 2^e - 1 (wraps to INT32_MAX for e = 31 in i32, as intended).
  Value mask = arith::SubIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, one, exponent), one);
  Value rem = arith::AndIOp::create(b, loc, x, mask);
  Value isNeg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero);
  Value threshold = arith::AddIOp::create(
      b, loc, arith::ShRSIOp::create(b, loc, mask, one),
      arith::ExtUIOp::create(b, loc, t, isNeg));
  Value up =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, rem, threshold);
  Value shifted = arith::ShRSIOp::create(b, loc, x, exponent);
  return arith::AddIOp::create(b, loc, shifted,
                               arith::ExtUIOp::create(b, loc, t, up));
}

/// clamp(zp + r, lo, hi) of an i32 `r`, exact (the reference adds in 64
/// bits): clamped to [lo - zp, hi - zp] first, then added, which cannot
/// wrap (the bounds fold to constants). Where the zero point was added
/// with the rounding term (zeroPointInNudge), only the clamp. Without lo
/// and hi: zp + r unclamped (the caller proves it cannot wrap), or r itself
/// without a zero point either (an intermediate rescale).
static Value addZeroPointAndClamp(OpBuilder &b, Location loc, Value r,
                                  const intq::RequantParams &p) {
  if (!p.lo && !p.hi)
    return p.zeroPoint && !p.zeroPointInNudge
               ? arith::AddIOp::create(b, loc, r, p.zeroPoint).getResult()
               : r;
  if (p.zeroPointInNudge) {
    r = arith::MaxSIOp::create(b, loc, r, p.lo);
    return arith::MinSIOp::create(b, loc, r, p.hi);
  }
  r = arith::MaxSIOp::create(b, loc, r,
                             arith::SubIOp::create(b, loc, p.lo, p.zeroPoint));
  r = arith::MinSIOp::create(b, loc, r,
                             arith::SubIOp::create(b, loc, p.hi, p.zeroPoint));
  return arith::AddIOp::create(b, loc, r, p.zeroPoint);
}

/// The high 32 bits of a[i] * m[i] + round[i] (round: the i64 terms of the
/// even lanes, `roundEven`, and of the odd ones, `roundOdd`) for each lane
/// of an i32 vector (products signed, or unsigned with `isUnsigned`): one
/// vpmuldq / vpmuludq and one add per lane pair and half, the high halves
/// moved back to their lanes by one shuffle.
static Value buildHighHalvesPairedLanes(OpBuilder &b, Location loc, Value a,
                                        Value m, Value roundEven,
                                        Value roundOdd,
                                        bool isUnsigned = false) {
  auto vt = llvm::cast<VectorType>(a.getType());
  int64_t n = vt.getNumElements();
  Value even = arith::AddIOp::create(
      b, loc, buildLanePairProducts(b, loc, a, m, /*odd=*/false, isUnsigned),
      roundEven);
  Value odd = arith::AddIOp::create(
      b, loc, buildLanePairProducts(b, loc, a, m, /*odd=*/true, isUnsigned),
      roundOdd);
  SmallVector<int64_t> highHalves;
  for (int64_t i = 0; i < n; ++i)
    highHalves.push_back((i % 2 ? n : 0) + (i | 1));
  return vector::ShuffleOp::create(
      b, loc, vector::BitCastOp::create(b, loc, vt, even),
      vector::BitCastOp::create(b, loc, vt, odd), highHalves);
}

/// Single rounding on i64 lane pairs (RequantParams::roundEven): the high
/// halves of x * M0 + round are floor(. / 2^32) (nested floors compose),
/// then shifted right by s - 32 in 32-bit lanes.
static Value buildSingleRoundPairedLanes(OpBuilder &b, Location loc, Value a,
                                         const intq::RequantParams &p) {
  Value r = buildHighHalvesPairedLanes(b, loc, a, p.multiplier, p.roundEven,
                                       p.roundOdd);
  if (p.rightShift)
    r = arith::ShRSIOp::create(b, loc, r, p.rightShift);
  return r;
}

/// The double (gemmlowp) rounding on i64 lane pairs
/// (RequantParams::roundEven without singleRound): with x = SRDHM(a, M0) =
/// floor((2a*M0 + 2^31) / 2^32) and RDivPOT(x, r) = floor((x + 2^(r-1) -
/// [x < 0]) / 2^r), nested floors compose into
///   floor((floor((2a*M0 + 2^31 + 2^(31+r)) / 2^32) - [a < 0]) / 2^r):
/// the high halves of 2a * M0 + round, less [a < 0], shifted by r.
/// [x < 0] is [a < 0] wherever it matters (M0 >= 0: x < 0 implies a < 0,
/// and a < 0 with x >= 0 leaves x = 0, which no r >= 1 rounds to a tie).
/// `a` holds a + 2^31 (RequantParams::roundEven): read unsigned, its
/// products by 2 M0 are 2a * M0 + 2^32 M0 (the rounding terms take the
/// 2^32 M0 back) and -[a < 0] is its top bit less 1 (the rounding terms
/// take the 1 as 2^32).
static Value buildDoubleRoundPairedLanes(OpBuilder &b, Location loc, Value a,
                                         const intq::RequantParams &p) {
  Value h = buildHighHalvesPairedLanes(b, loc, a, p.multiplier, p.roundEven,
                                       p.roundOdd, /*isUnsigned=*/true);
  h = arith::AddIOp::create(
      b, loc, h,
      arith::ShRUIOp::create(b, loc, a,
                             intq::intConstant(b, loc, a.getType(), 31)));
  return arith::ShRSIOp::create(b, loc, h, p.rightShift);
}

namespace {
/// The forms of the output stage, chosen from a RequantParams' flags
/// (selectForm). One choice, read by the builders and by
/// addsZeroPointBeforeClamp.
enum class RequantForm {
  SingleRoundPairedLanes, // x86 single rounding: high halves on lane pairs
  SingleRoundNeon,        // AArch64 single rounding: sqdmulh, srshl
  SingleRoundExact,       // single rounding in i64 (i128), zp added there
  DoubleRoundPairedLanes, // x86 double rounding in one rounding step
  DoubleRoundNeon,        // AArch64 double rounding: sqrdmulh, srshl
  DoubleRound,            // SRDHM then RDivPOT (paired products or not)
};
} // namespace

static RequantForm selectForm(const intq::RequantParams &p) {
  bool pairedHigh = p.pairedLanes && p.roundEven;
  if (p.singleRound)
    return pairedHigh ? RequantForm::SingleRoundPairedLanes
           : p.neon   ? RequantForm::SingleRoundNeon
                      : RequantForm::SingleRoundExact;
  return pairedHigh ? RequantForm::DoubleRoundPairedLanes
         : p.neon   ? RequantForm::DoubleRoundNeon
                    : RequantForm::DoubleRound;
}

bool intq::addsZeroPointBeforeClamp(const RequantParams &p) {
  return p.zeroPointInNudge ||
         selectForm(p) == RequantForm::SingleRoundExact;
}

Value intq::buildRequantizeSingleRound(OpBuilder &b, Location loc, Value x,
                                       const RequantParams &p) {
  Type i32 = shapedLike(x, b.getI32Type());
  RequantForm form = selectForm(p);
  if (form == RequantForm::SingleRoundPairedLanes) {
    return addZeroPointAndClamp(b, loc,
                                buildSingleRoundPairedLanes(b, loc, x, p), p);
  }
  if (form == RequantForm::SingleRoundNeon) {
    // floor((floor(x * M0 / 2^31) + 2^(s-32)) / 2^(s-31)) is
    // floor((x * M0 + 2^(s-1)) / 2^s): nested floors compose (s >= 32).
    Value h = Arm64SqdmulhOp::create(b, loc, x, p.multiplier);
    return addZeroPointAndClamp(
        b, loc, Arm64SrshlOp::create(b, loc, h, p.rightShift), p);
  }
  // |x * M0| < 2^62 for i32 x (plus 2^61 of rounding: fits i64); i64 x
  // needs i128.
  unsigned width = getElementTypeOrSelf(x.getType()).getIntOrFloatBitWidth();
  Type wt = shapedLike(x, b.getIntegerType(width <= 32 ? 64 : 128));
  auto wide = [&](Value v) -> Value {
    return arith::ExtSIOp::create(b, loc, wt, v);
  };
  Value s = wide(p.rightShift);
  Value one = intq::intConstant(b, loc, wt, 1);
  Value round = arith::ShLIOp::create(
      b, loc, one, arith::SubIOp::create(b, loc, s, one));
  Value prod = arith::MulIOp::create(b, loc, wide(x), wide(p.multiplier));
  Value r = arith::ShRSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, prod, round), s);
  r = arith::AddIOp::create(b, loc, r, wide(p.zeroPoint));
  r = arith::MaxSIOp::create(b, loc, r, wide(p.lo));
  r = arith::MinSIOp::create(b, loc, r, wide(p.hi));
  return arith::TruncIOp::create(b, loc, i32, r);
}

Value intq::buildRequantizeWide(OpBuilder &b, Location loc, Value x,
                                const RequantParams &p) {
  if (p.singleRound)
    return buildRequantizeSingleRound(b, loc, x, p);
  // i128 holds every intermediate: |x| < 2^63, x * 2^30 < 2^93, times
  // M0 < 2^31 gives < 2^124.
  Type i128 = shapedLike(x, b.getIntegerType(128)),
       i32 = shapedLike(x, b.getI32Type());
  auto wide = [&](Value v) -> Value {
    return arith::ExtSIOp::create(b, loc, i128, v);
  };
  Value v = wide(x);
  if (p.leftShift)
    v = arith::ShLIOp::create(b, loc, v, wide(p.leftShift));
  // SRDHM for M0 >= 0 is floor((v * M0 + 2^30) / 2^31) (see the contract).
  Value prod = arith::MulIOp::create(b, loc, v, wide(p.multiplier));
  prod = arith::AddIOp::create(b, loc, prod, intq::intConstant(b, loc, i128, 1ll << 30));
  Value h = arith::ShRSIOp::create(b, loc, prod, intq::intConstant(b, loc, i128, 31));
  Value r = buildRoundingDivideByPOT(b, loc, h, wide(p.rightShift));
  r = arith::AddIOp::create(b, loc, r, wide(p.zeroPoint));
  r = arith::MaxSIOp::create(b, loc, r, wide(p.lo));
  r = arith::MinSIOp::create(b, loc, r, wide(p.hi));
  return arith::TruncIOp::create(b, loc, i32, r);
}

Value intq::buildRequantize(OpBuilder &b, Location loc, Value x,
                            const RequantParams &p) {
  if (p.singleRound)
    return buildRequantizeSingleRound(b, loc, x, p);
  Type i64 = shapedLike(x, b.getI64Type()), i32 = shapedLike(x, b.getI32Type());
  if (p.leftShift) {
    // Saturating x * 2^left computed in 64 bits.
    Value x64 = arith::ExtSIOp::create(b, loc, i64, x);
    Value s64 = arith::ExtSIOp::create(b, loc, i64, p.leftShift);
    Value sh = arith::ShLIOp::create(b, loc, x64, s64);
    sh = arith::MaxSIOp::create(b, loc, sh,
                                intq::intConstant(b, loc, i64, INT32_MIN));
    sh = arith::MinSIOp::create(b, loc, sh,
                                intq::intConstant(b, loc, i64, INT32_MAX));
    x = arith::TruncIOp::create(b, loc, i32, sh);
  }
  RequantForm form = selectForm(p);
  if (form == RequantForm::DoubleRoundPairedLanes)
    return addZeroPointAndClamp(b, loc, buildDoubleRoundPairedLanes(b, loc, x, p),
                                p);
  if (form == RequantForm::DoubleRoundNeon) {
    // h > INT32_MIN (M0 < 2^31), so h - 1 cannot wrap: a plain add where
    // gemmlowp's NEON code saturates.
    Value h = Arm64SqrdmulhOp::create(b, loc, x, p.multiplier);
    Value fixup = arith::ShRSIOp::create(
        b, loc, arith::AndIOp::create(b, loc, h, p.rightShift),
        intq::intConstant(b, loc, h.getType(), 31));
    Value r = Arm64SrshlOp::create(
        b, loc, arith::AddIOp::create(b, loc, h, fixup), p.rightShift);
    return addZeroPointAndClamp(b, loc, r, p);
  }
  Value hi = p.pairedLanes ? buildSRDHMPairedLanes(b, loc, x, p.multiplier)
                          : buildSRDHM(b, loc, x, p.multiplier);
  Value r;
  if (p.roundNudge) {
    // Round half away from zero: + 2^(right-1), less 1 below zero.
    Value neg = arith::AndIOp::create(
        b, loc,
        arith::ShRSIOp::create(b, loc, hi,
                               intq::intConstant(b, loc, hi.getType(), 31)),
        p.roundNegMask);
    Value sum = arith::AddIOp::create(
        b, loc, arith::AddIOp::create(b, loc, hi, p.roundNudge), neg);
    r = arith::ShRSIOp::create(b, loc, sum, p.rightShift);
  } else {
    r = buildRoundingDivideByPOT(b, loc, hi, p.rightShift);
  }
  return addZeroPointAndClamp(b, loc, r, p);
}

std::optional<intq::AddRescale>
intq::getAddRescale(mlir::quant::UniformQuantizedType a,
                    mlir::quant::UniformQuantizedType b,
                    mlir::quant::UniformQuantizedType out,
                    std::optional<double> clampMin,
                    std::optional<double> clampMax) {
  AddRescale r;
  r.leftShift = 28 - static_cast<int32_t>(
                         std::max(a.getStorageTypeIntegralWidth(),
                                  b.getStorageTypeIntegralWidth()));
  double twiceMax = 2.0 * std::max(a.getScale(), b.getScale());
  auto ma = ::intq::quant::quantizeMultiplier(a.getScale() / twiceMax);
  auto mb = ::intq::quant::quantizeMultiplier(b.getScale() / twiceMax);
  auto mo = ::intq::quant::quantizeMultiplier(
      twiceMax / (double(int64_t(1) << r.leftShift) * out.getScale()));
  if (!ma || !mb || !mo)
    return std::nullopt;
  auto of = [](const ::intq::quant::QuantizedMultiplier &m) {
    return AddRescale::Multiplier{m.multiplier, m.leftShift(), m.rightShift()};
  };
  r.lhs = of(*ma);
  r.rhs = of(*mb);
  r.out = of(*mo);
  r.lhsZp = static_cast<int32_t>(a.getZeroPoint());
  r.rhsZp = static_cast<int32_t>(b.getZeroPoint());
  r.outZp = static_cast<int32_t>(out.getZeroPoint());
  auto [lo, hi] = getClampedStorageRange(out, clampMin, clampMax);
  r.lo = static_cast<int32_t>(lo);
  r.hi = static_cast<int32_t>(hi);
  return r;
}

Value intq::buildAddInputRescale(OpBuilder &b, Location loc, Value q,
                                 int32_t zp, const AddRescale::Multiplier &m,
                                 int32_t leftShift, bool vectorForm) {
  Type t = q.getType();
  auto cst = [&](int64_t v) { return intConstant(b, loc, t, v); };
  Value x = arith::SubIOp::create(b, loc, q, cst(zp));
  if (vectorForm) {
    // SRDHM(d << L, M0) for d = q - zp, 8-bit inputs (L = 20, |d| <= 255):
    // floor((d * M0 * 2^L + 2^30) / 2^31) (gemmlowp's nudge either side of
    // zero is this floor) = floor((d * M0 + 2^(s-1)) / 2^s) with s = 31 -
    // L, and with M0 = Mh * 2^s + Ml (Ml < 2^s) that is d * Mh +
    // floor((d * Ml + 2^(s-1)) / 2^s): both products fit in i32 (|d * Mh|
    // < 2^28, |d * Ml| < 2^19), so no i64 lane pairs. An input at the
    // larger scale has M0 = 2^30 and no right shift: d * 2^19, a shift.
    assert(leftShift == 20 && m.left == 0 &&
           "the vector form takes 8-bit inputs with multipliers <= 1/2");
    int32_t s = 31 - leftShift;
    int32_t mh = m.m0 >> s, ml = m.m0 & ((int32_t(1) << s) - 1);
    Value y = arith::MulIOp::create(b, loc, x, cst(mh));
    if (ml) {
      Value low = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, x, cst(ml)),
          cst(int64_t(1) << (s - 1)));
      y = arith::AddIOp::create(b, loc, y,
                                arith::ShRSIOp::create(b, loc, low, cst(s)));
    }
    if (!m.right)
      return y;
    // The rounding shift: (y + 2^(right-1) - (y < 0)) >> right.
    Value sign = arith::ShRSIOp::create(b, loc, y, cst(31));
    Value nudged = arith::AddIOp::create(
        b, loc,
        arith::AddIOp::create(b, loc, y, cst(int64_t(1) << (m.right - 1))),
        sign);
    return arith::ShRSIOp::create(b, loc, nudged, cst(m.right));
  }
  x = arith::ShLIOp::create(b, loc, x, cst(leftShift));
  RequantParams p;
  p.multiplier = cst(m.m0);
  p.rightShift = cst(m.right); // no output stage: an i32 term of the sum
  return buildRequantize(b, loc, x, p);
}

__int128 intq::oneStepRoundingWorst(int64_t bound, int64_t m0, int64_t right,
                                    int64_t zp) {
  return 2 * __int128(bound) * m0 + (__int128(1) << 31) +
         (__int128(1) << (31 + right)) +
         __int128(zp < 0 ? -zp : zp) * (__int128(1) << (32 + right));
}

int64_t intq::oneStepRoundingTerm(int64_t m0, int64_t right, int64_t zp) {
  uint64_t k = (uint64_t(1) << 31) + (uint64_t(1) << (31 + right)) +
               uint64_t(zp) * (uint64_t(1) << (32 + right));
  return int64_t(k - ((uint64_t(m0) + 1) << 32));
}

/// The output rescale of the vector add in one rounding step on lane pairs
/// (RequantParams::roundEven: the caller then adds 2^31 to the sum), where
/// it applies: a right shift of at least 1 and |2 sum * M0 + round| <=
/// 2^62 for |sum| < 2^29 (buildAdd's bound), the zero point in the
/// rounding term where that bound still holds. False (p unchanged)
/// otherwise.
static bool oneStepRounding(OpBuilder &b, Location loc, Type t,
                            const intq::AddRescale &r,
                            intq::RequantParams &p) {
  const int64_t m0 = r.out.m0, right = r.out.right, bound = int64_t(1) << 29;
  const __int128 limit = __int128(1) << 62;
  if (right < 1 || intq::oneStepRoundingWorst(bound, m0, right, 0) > limit)
    return false;
  bool zpInNudge =
      intq::oneStepRoundingWorst(bound, m0, right, r.outZp) <= limit;
  int64_t k = intq::oneStepRoundingTerm(m0, right, zpInNudge ? r.outZp : 0);
  p.multiplier = intq::intConstant(b, loc, t, int32_t(uint32_t(2 * m0)));
  auto pairs = VectorType::get(
      {llvm::cast<VectorType>(t).getNumElements() / 2}, b.getI64Type());
  p.roundEven = p.roundOdd = intq::intConstant(b, loc, pairs, k);
  p.zeroPointInNudge = zpInNudge;
  return true;
}

Value intq::buildAdd(OpBuilder &b, Location loc, Value a, Value bv,
                     const AddRescale &r, bool vectorForm, bool clampOutput) {
  assert((clampOutput || (vectorForm && !r.out.left)) &&
         "an unclamped sum only in the vector form without a left shift");
  Type t = a.getType();
  auto cst = [&](int64_t v) { return intConstant(b, loc, t, v); };
  // The rounding shift by `right` as (x + nudge + ((x >> 31) & -1)) >> right.
  auto nudged = [&](RequantParams &p, int32_t right) {
    p.roundNudge = cst(right ? int64_t(1) << (right - 1) : 0);
    p.roundNegMask = cst(right ? -1 : 0);
  };
  RequantParams p;
  p.multiplier = cst(r.out.m0);
  p.leftShift = r.out.left ? cst(r.out.left) : Value();
  p.rightShift = cst(r.out.right);
  p.zeroPoint = cst(r.outZp);
  if (clampOutput) {
    p.lo = cst(r.lo);
    p.hi = cst(r.hi);
  }
  p.pairedLanes = vectorForm;
  if (vectorForm && !r.out.left && !oneStepRounding(b, loc, t, r, p))
    nudged(p, r.out.right);
  // The one-step rounding (roundEven) takes the sum plus 2^31. An input at
  // the larger scale (M0 = 2^30, no shift: its vector-form term is (q -
  // zp) << (L - 1)) carries it as 2^(32 - L) more in its offset: (q - zp +
  // 2^(32 - L)) << (L - 1) is its term plus 2^31 modulo 2^32. An add of
  // 2^31 of its own would cost an instruction (LLVM makes it an xor and no
  // longer merges it with the offsets' constants).
  int64_t offsetA = 0, offsetB = 0;
  bool addBias = false;
  if (p.roundEven) {
    auto carries = [](const AddRescale::Multiplier &m) {
      return m.m0 == (int32_t(1) << 30) && m.right == 0 && m.left == 0;
    };
    int64_t offset = int64_t(1) << (32 - r.leftShift);
    if (carries(r.lhs))
      offsetA = offset;
    else if (carries(r.rhs))
      offsetB = offset;
    else
      addBias = true;
  }
  Value sum = arith::AddIOp::create(
      b, loc,
      buildAddInputRescale(b, loc, a, int32_t(r.lhsZp - offsetA), r.lhs,
                           r.leftShift, vectorForm),
      buildAddInputRescale(b, loc, bv, int32_t(r.rhsZp - offsetB), r.rhs,
                           r.leftShift, vectorForm));
  if (addBias)
    sum = arith::AddIOp::create(
        b, loc, sum, cst(std::numeric_limits<int32_t>::min()));
  return buildRequantize(b, loc, sum, p);
}

std::pair<int64_t, int64_t>
intq::getClampedStorageRange(mlir::quant::UniformQuantizedType type,
                             std::optional<double> clampMin,
                             std::optional<double> clampMax) {
  int64_t lo = type.getStorageTypeMin(), hi = type.getStorageTypeMax();
  int32_t zp = static_cast<int32_t>(type.getZeroPoint());
  float scale = static_cast<float>(type.getScale());
  if (clampMin)
    lo = std::max<int64_t>(
        lo, ::intq::quant::quantizeValue(static_cast<float>(*clampMin), scale, zp,
                                 static_cast<int32_t>(lo),
                                 static_cast<int32_t>(hi)));
  if (clampMax)
    hi = std::min<int64_t>(
        hi, ::intq::quant::quantizeValue(static_cast<float>(*clampMax), scale, zp,
                                 static_cast<int32_t>(type.getStorageTypeMin()),
                                 static_cast<int32_t>(hi)));
  if (lo > hi)
    lo = hi;
  return {lo, hi};
}
