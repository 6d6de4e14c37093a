//===- FixedPointTest.cpp - arithmetic helpers against gemmlowp -----------===//
//
// intq's requantization helpers (lib/Quant) are checked against gemmlowp's
// fixedpoint.h (Debian libgemmlowp-dev), the reference the arithmetic
// contract names, and against exact rational arithmetic where gemmlowp has
// no counterpart (multiplier encoding, quantize/dequantize).
//
//===----------------------------------------------------------------------===//

#include "intq/Quant/FixedPoint.h"

#include "fixedpoint/fixedpoint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace intq::quant;

namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

/// The gemmlowp/TFLite output stage with intq's saturating left shift.
int32_t gemmlowpMultiply(int32_t x, QuantizedMultiplier qm) {
  int64_t shifted = static_cast<int64_t>(x) * (int64_t(1) << qm.leftShift());
  shifted = std::min<int64_t>(std::max<int64_t>(shifted, kMin), kMax);
  int32_t hi = gemmlowp::SaturatingRoundingDoublingHighMul(
      static_cast<int32_t>(shifted), qm.multiplier);
  return gemmlowp::RoundingDivideByPOT(hi, qm.rightShift());
}

/// Accumulators worth testing: edges, rounding ties and random values.
std::vector<int32_t> interestingAccumulators() {
  std::vector<int32_t> v = {0,         1,         -1,        2,
                            -2,        3,         -3,        kMin,
                            kMin + 1,  kMax,      kMax - 1,  1 << 30,
                            -(1 << 30), (1 << 30) - 1, 65535, -65536,
                            1000000,   -1000000};
  for (int e = 1; e < 31; ++e) { // values around 2^e and half of it
    v.push_back(1 << e);
    v.push_back(-(1 << e));
    v.push_back((1 << e) + (1 << (e - 1)));
    v.push_back(-((1 << e) + (1 << (e - 1))));
  }
  std::mt19937 rng(7);
  std::uniform_int_distribution<int32_t> all(kMin, kMax);
  std::uniform_int_distribution<int32_t> small(-100000, 100000);
  for (int i = 0; i < 2000; ++i) {
    v.push_back(all(rng));
    v.push_back(small(rng));
  }
  return v;
}

TEST(QuantizeMultiplier, RangeAndReconstructionOverLogSweep) {
  // 1e-9 .. 1e3, 4000 points per decade.
  int count = 0;
  for (double e = -9.0; e <= 3.0; e += 1.0 / 4000, ++count) {
    double m = std::pow(10.0, e);
    auto qm = quantizeMultiplier(m);
    ASSERT_TRUE(qm.has_value()) << m;
    EXPECT_GE(qm->multiplier, 1 << 30) << m;
    EXPECT_LE(qm->shift, 30) << m;
    EXPECT_GE(qm->shift, -31) << m;
    double back = std::ldexp(static_cast<double>(qm->multiplier),
                             qm->shift - 31);
    // M0 has 31 significant bits: relative error <= 2^-31.
    EXPECT_LE(std::abs(back - m) / m, std::ldexp(1.0, -31)) << m;
  }
  EXPECT_GE(count, 48000);
}

TEST(QuantizeMultiplier, ExactValues) {
  auto one = quantizeMultiplier(1.0);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->multiplier, 1 << 30);
  EXPECT_EQ(one->shift, 1); // 2^30 * 2^(1-31) = 1: a left shift of 1
  auto half = quantizeMultiplier(0.5);
  ASSERT_TRUE(half);
  EXPECT_EQ(half->multiplier, 1 << 30);
  EXPECT_EQ(half->shift, 0);
  auto quarter = quantizeMultiplier(0.25);
  EXPECT_EQ(quarter->multiplier, 1 << 30);
  EXPECT_EQ(quarter->shift, -1);
  for (int k = -30; k <= 29; ++k) {
    auto p = quantizeMultiplier(std::ldexp(1.0, k));
    ASSERT_TRUE(p) << k;
    EXPECT_EQ(p->multiplier, 1 << 30) << k;
    EXPECT_EQ(p->shift, k + 1) << k;
  }
}

TEST(QuantizeMultiplier, JustBelowPowerOfTwoRoundsUp) {
  // The largest double below 1 rounds M0 to 2^31, which must renormalize to
  // 2^30 with the exponent incremented.
  double m = std::nextafter(1.0, 0.0);
  auto qm = quantizeMultiplier(m);
  ASSERT_TRUE(qm);
  EXPECT_EQ(qm->multiplier, 1 << 30);
  EXPECT_EQ(qm->shift, 1);
}

TEST(QuantizeMultiplier, Rejects) {
  EXPECT_FALSE(quantizeMultiplier(0.0));
  EXPECT_FALSE(quantizeMultiplier(-1.0));
  EXPECT_FALSE(quantizeMultiplier(std::nan("")));
  EXPECT_FALSE(quantizeMultiplier(INFINITY));
  EXPECT_FALSE(quantizeMultiplier(std::ldexp(1.0, 30))); // shift would be 31
  EXPECT_TRUE(quantizeMultiplier(1.5 * std::ldexp(1.0, 29)));
}

TEST(QuantizeMultiplier, TinyValuesDenormalize) {
  // Below 2^-32 the exponent would pass -31: M0 shrinks instead.
  auto qm = quantizeMultiplier(std::ldexp(1.0, -40));
  ASSERT_TRUE(qm);
  EXPECT_EQ(qm->shift, -31);
  EXPECT_EQ(qm->multiplier, 1 << 22); // 2^-40 * 2^62
  auto zero = quantizeMultiplier(1e-30);
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->multiplier, 0);
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMax, *zero), 0);
}

TEST(FixedPoint, SRDHMMatchesGemmlowp) {
  std::vector<int32_t> xs = interestingAccumulators();
  std::vector<int32_t> ms = {kMin, kMin + 1, -1, 0, 1, 1 << 30, kMax,
                             1518500250, 1073741825};
  std::mt19937 rng(11);
  std::uniform_int_distribution<int32_t> all(kMin, kMax);
  for (int i = 0; i < 200; ++i)
    ms.push_back(all(rng));
  for (int32_t a : xs)
    for (int32_t b : ms)
      ASSERT_EQ(saturatingRoundingDoublingHighMul(a, b),
                gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
          << a << " * " << b;
}

TEST(FixedPoint, SRDHMSaturation) {
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMin), kMax);
  EXPECT_EQ(gemmlowp::SaturatingRoundingDoublingHighMul(kMin, kMin), kMax);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMax), kMin + 1);
}

TEST(FixedPoint, RoundingDivideByPOTMatchesGemmlowp) {
  for (int32_t x : interestingAccumulators())
    for (int e = 0; e <= 31; ++e)
      ASSERT_EQ(roundingDivideByPOT(x, e), gemmlowp::RoundingDivideByPOT(x, e))
          << x << " >> " << e;
}

TEST(FixedPoint, RoundingTiesAwayFromZero) {
  EXPECT_EQ(roundingDivideByPOT(3, 1), 2);   // 1.5 -> 2
  EXPECT_EQ(roundingDivideByPOT(-3, 1), -2); // -1.5 -> -2
  EXPECT_EQ(roundingDivideByPOT(5, 1), 3);   // 2.5 -> 3
  EXPECT_EQ(roundingDivideByPOT(-5, 1), -3);
  EXPECT_EQ(roundingDivideByPOT(6, 2), 2);   // 1.5 -> 2
  EXPECT_EQ(roundingDivideByPOT(-6, 2), -2);
  EXPECT_EQ(roundingDivideByPOT(5, 2), 1);   // 1.25 -> 1
  EXPECT_EQ(roundingDivideByPOT(-5, 2), -1);
  EXPECT_EQ(roundingDivideByPOT(7, 0), 7);   // shift 0 is the identity
  EXPECT_EQ(roundingDivideByPOT(kMin, 0), kMin);
  EXPECT_EQ(roundingDivideByPOT(kMax, 31), 1);  // ~1.0 -> 1
  EXPECT_EQ(roundingDivideByPOT(kMin, 31), -1); // -1.0 exactly
  EXPECT_EQ(roundingDivideByPOT(1 << 30, 31), 1);     // 0.5 -> 1
  EXPECT_EQ(roundingDivideByPOT(-(1 << 30), 31), -1); // -0.5 -> -1
}

TEST(FixedPoint, SaturatingLeftShift) {
  EXPECT_EQ(saturatingLeftShift(1, 30), 1 << 30);
  EXPECT_EQ(saturatingLeftShift(1, 31), kMax);
  EXPECT_EQ(saturatingLeftShift(-1, 31), kMin);
  EXPECT_EQ(saturatingLeftShift(kMax, 1), kMax);
  EXPECT_EQ(saturatingLeftShift(kMin, 1), kMin);
  EXPECT_EQ(saturatingLeftShift(-3, 2), -12);
  EXPECT_EQ(saturatingLeftShift(12345, 0), 12345);
}

TEST(FixedPoint, MultiplyMatchesGemmlowpForScalesFrom1e9To1e3) {
  std::vector<int32_t> xs = interestingAccumulators();
  for (double e = -9.0; e <= 3.0; e += 0.05) {
    auto qm = quantizeMultiplier(std::pow(10.0, e));
    ASSERT_TRUE(qm);
    for (int32_t x : xs)
      ASSERT_EQ(multiplyByQuantizedMultiplier(x, *qm), gemmlowpMultiply(x, *qm))
          << x << " * 10^" << e;
  }
}

TEST(FixedPoint, MultiplyIsCloseToRealArithmetic) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> exps(-9.0, 3.0);
  std::uniform_int_distribution<int32_t> accs(-(1 << 20), 1 << 20);
  for (int i = 0; i < 100000; ++i) {
    double m = std::pow(10.0, exps(rng));
    int32_t x = accs(rng);
    double exact = x * m;
    if (std::abs(exact) > 2e9)
      continue; // would saturate
    auto qm = quantizeMultiplier(m);
    ASSERT_TRUE(qm);
    int32_t got = multiplyByQuantizedMultiplier(x, *qm);
    // Two roundings (SRDHM, then the shift): within one of round(x * m).
    ASSERT_LE(std::abs(static_cast<double>(got) - std::round(exact)), 1.0)
        << x << " * " << m;
  }
}

TEST(FixedPoint, RequantizeClamps) {
  auto qm = quantizeMultiplier(0.5);
  ASSERT_TRUE(qm);
  EXPECT_EQ(requantize(100, *qm, 3, -128, 127), 53);
  EXPECT_EQ(requantize(1000, *qm, 3, -128, 127), 127);
  EXPECT_EQ(requantize(-1000, *qm, 3, -128, 127), -128);
  EXPECT_EQ(requantize(-1000, *qm, 3, 3, 127), 3); // fused ReLU: lo = Z
  EXPECT_EQ(requantize(kMax, *qm, 100, -128, 127), 127);
}

// The wide (int64-accumulator) output stage is the int32 one wherever the
// int32 one does not saturate: int16 activations switch to it without
// changing any result that fits.
TEST(FixedPoint, RequantizeWideEqualsGemmlowpWithinInt32) {
  std::vector<int32_t> xs = interestingAccumulators();
  for (double e = -9.0; e <= 3.0; e += 0.05) {
    auto qm = quantizeMultiplier(std::pow(10.0, e));
    ASSERT_TRUE(qm);
    for (int32_t x : xs) {
      int64_t shifted = static_cast<int64_t>(x) * (int64_t(1) << qm->leftShift());
      if (shifted < kMin || shifted > kMax)
        continue; // the int32 path saturates here; covered below
      ASSERT_EQ(requantizeWide(x, *qm, 5, kMin, kMax - 5),
                requantize(x, *qm, 5, kMin, kMax - 5))
          << x << " * 10^" << e;
      ASSERT_EQ(requantizeWide(x, *qm, -7, -32767, 32767),
                requantize(x, *qm, -7, -32767, 32767))
          << x << " * 10^" << e;
    }
  }
}

// Beyond int32 the wide path is the exactly rounded product: within one of
// round(acc * M) (two roundings), clamped to the output range.
TEST(FixedPoint, RequantizeWideBeyondInt32) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int64_t> accs(-(int64_t(1) << 46),
                                              int64_t(1) << 46);
  std::uniform_real_distribution<double> exps(-12.0, -3.0);
  for (int i = 0; i < 100000; ++i) {
    double m = std::pow(10.0, exps(rng));
    int64_t x = accs(rng);
    auto qm = quantizeMultiplier(m);
    ASSERT_TRUE(qm);
    double exact = static_cast<double>(x) * m;
    int32_t got = requantizeWide(x, *qm, 0, -32767, 32767);
    double want = std::min(std::max(std::round(exact), -32767.0), 32767.0);
    ASSERT_LE(std::abs(got - want), 1.0) << x << " * " << m;
  }
  // Saturation at both ends, and the int32 path's saturated left shift
  // agrees after the clamp.
  auto big = quantizeMultiplier(4.0);
  ASSERT_TRUE(big);
  EXPECT_EQ(requantizeWide(int64_t(1) << 40, *big, 0, -32767, 32767), 32767);
  EXPECT_EQ(requantizeWide(-(int64_t(1) << 40), *big, 0, -32767, 32767),
            -32767);
  EXPECT_EQ(requantizeWide(kMax, *big, 0, -128, 127),
            requantize(kMax, *big, 0, -128, 127));
  // Ties: SRDHM rounds half up, the shift half away from zero.
  auto half = quantizeMultiplier(0.5);
  ASSERT_TRUE(half);
  EXPECT_EQ(requantizeWide((int64_t(1) << 33) + 1, *half, 0, kMin, kMax),
            kMax); // 2^32 + 0.5 clamps
  EXPECT_EQ(requantizeWide(3, *half, 0, kMin, kMax), 2);
  EXPECT_EQ(requantizeWide(-3, *half, 0, kMin, kMax), -1);
  EXPECT_EQ(requantize(-3, *half, 0, kMin, kMax), -1);
}

/// TOSA's apply_scale_32 with double_round = false, as its specification
/// writes it (64-bit arithmetic; shift in [2, 62]).
int32_t tosaApplyScale32(int32_t value, int32_t multiplier, int shift) {
  int64_t round = int64_t(1) << (shift - 1);
  int64_t result = static_cast<int64_t>(value) * multiplier + round;
  return static_cast<int32_t>(result >> shift);
}

// Single rounding is TOSA's SINGLE_ROUND where TOSA defines it (shift >= 2,
// result within int32), and within one of the double rounding.
TEST(FixedPoint, RequantizeSingleRoundMatchesTosa) {
  std::vector<int32_t> xs = interestingAccumulators();
  for (double e = -9.0; e <= 3.0; e += 0.05) {
    auto qm = quantizeMultiplier(std::pow(10.0, e));
    ASSERT_TRUE(qm);
    int shift = 31 - qm->shift;
    for (int32_t x : xs) {
      int32_t got = requantizeSingleRound(x, *qm, 0, kMin, kMax);
      __int128 exact = static_cast<__int128>(x) * qm->multiplier;
      bool inRange = (exact >> shift) < kMax && (exact >> shift) > kMin;
      if (shift >= 2 && inRange)
        ASSERT_EQ(got, tosaApplyScale32(x, qm->multiplier, shift))
            << x << " * 10^" << e;
      int64_t shifted = static_cast<int64_t>(x) * (int64_t(1) << qm->leftShift());
      if (inRange && shifted >= kMin && shifted <= kMax)
        ASSERT_LE(std::abs(int64_t(got) - requantize(x, *qm, 0, kMin, kMax)), 1)
            << x << " * 10^" << e;
    }
  }
}

TEST(FixedPoint, RequantizeSingleRoundTiesAndClamps) {
  auto half = quantizeMultiplier(0.5);
  ASSERT_TRUE(half);
  // x * 0.5 = k + 0.5 rounds up for both signs.
  EXPECT_EQ(requantizeSingleRound(3, *half, 0, kMin, kMax), 2);
  EXPECT_EQ(requantizeSingleRound(-3, *half, 0, kMin, kMax), -1);
  // M = 0.25: gemmlowp's shift rounds the tie -0.5 away from zero.
  auto quarter = quantizeMultiplier(0.25);
  ASSERT_TRUE(quarter);
  EXPECT_EQ(requantizeSingleRound(-2, *quarter, 0, kMin, kMax), 0);
  EXPECT_EQ(requantize(-2, *quarter, 0, kMin, kMax), -1);
  EXPECT_EQ(requantizeSingleRound(-4, *half, 0, kMin, kMax), -2);
  // One rounding of the product where two roundings drift: M = 2^-2 * 0.75,
  // x = 10 -> 1.875 -> 2; gemmlowp: SRDHM(10, 0.75 * 2^31) = 8 (7.5 up),
  // then 8 / 4 = 2; x = 6 -> 1.125 -> 1 both; x = 14: 2.625 -> 3.
  auto m = quantizeMultiplier(0.1875);
  ASSERT_TRUE(m);
  EXPECT_EQ(requantizeSingleRound(10, *m, 0, kMin, kMax), 2);
  EXPECT_EQ(requantizeSingleRound(14, *m, 0, kMin, kMax), 3);
  EXPECT_EQ(requantizeSingleRound(-14, *m, 0, kMin, kMax), -3);
  // Two roundings that drift: 4 * M0 / 2^31 = 2.59999.. rounds to 3, and
  // 3 / 2 = 1.5 rounds away to 2, where 4 * M = 1.2999.. rounds once to 1.
  QuantizedMultiplier drift{1395864371, -1}; // M0 = 0.65 * 2^31, M ~= 0.325
  EXPECT_EQ(requantize(4, drift, 0, kMin, kMax), 2);
  EXPECT_EQ(requantizeSingleRound(4, drift, 0, kMin, kMax), 1);
  // Exact for accumulators beyond int32 and multipliers >= 1 (no
  // saturation before the clamp); zero point added before the clamp.
  auto big = quantizeMultiplier(4.0);
  ASSERT_TRUE(big);
  EXPECT_EQ(requantizeSingleRound(int64_t(1) << 40, *big, 0, -32767, 32767),
            32767);
  EXPECT_EQ(requantizeSingleRound(-5, *big, 3, -128, 127), -17);
  EXPECT_EQ(requantizeSingleRound((int64_t(1) << 40) + 3, *half, -7, kMin,
                                  kMax),
            kMax);
  // Against exact rational rounding: round half up of x * M.
  std::mt19937_64 rng(13);
  std::uniform_int_distribution<int64_t> accs(-(int64_t(1) << 46),
                                              int64_t(1) << 46);
  std::uniform_real_distribution<double> exps(-12.0, -3.0);
  for (int i = 0; i < 100000; ++i) {
    auto qm = quantizeMultiplier(std::pow(10.0, exps(rng)));
    ASSERT_TRUE(qm);
    int64_t x = accs(rng);
    long double exact = std::ldexp(static_cast<long double>(x) * qm->multiplier,
                                   qm->shift - 31);
    long double want = std::floor(exact + 0.5L);
    want = std::min(std::max(want, -32767.0L), 32767.0L);
    ASSERT_EQ(requantizeSingleRound(x, *qm, 0, -32767, 32767),
              static_cast<int32_t>(want))
        << x;
  }
}

TEST(QuantizeValue, TiesToEven) {
  EXPECT_EQ(quantizeValue(0.5f, 1.0f, 0, -128, 127), 0);
  EXPECT_EQ(quantizeValue(1.5f, 1.0f, 0, -128, 127), 2);
  EXPECT_EQ(quantizeValue(2.5f, 1.0f, 0, -128, 127), 2);
  EXPECT_EQ(quantizeValue(-0.5f, 1.0f, 0, -128, 127), 0);
  EXPECT_EQ(quantizeValue(-1.5f, 1.0f, 0, -128, 127), -2);
  EXPECT_EQ(quantizeValue(-2.5f, 1.0f, 0, -128, 127), -2);
  EXPECT_EQ(quantizeValue(0.75f, 0.5f, 10, -128, 127), 12); // 1.5 -> 2
}

TEST(QuantizeValue, ClampsAndNaN) {
  EXPECT_EQ(quantizeValue(1e9f, 0.1f, 0, -128, 127), 127);
  EXPECT_EQ(quantizeValue(-1e9f, 0.1f, 0, -128, 127), -128);
  EXPECT_EQ(quantizeValue(INFINITY, 0.1f, 0, -128, 127), 127);
  EXPECT_EQ(quantizeValue(-INFINITY, 0.1f, 0, -128, 127), -128);
  EXPECT_EQ(quantizeValue(std::nanf(""), 0.1f, 5, -128, 127), -128);
  EXPECT_EQ(quantizeValue(100.0f, 1.0f, 100, -128, 127), 127);
  EXPECT_EQ(quantizeValue(-0.4f, 1.0f, 0, -127, 127), 0);
  EXPECT_EQ(quantizeValue(-200.0f, 1.0f, 0, -127, 127), -127); // narrow
}

TEST(QuantizeValue, RoundTripsThroughDequantize) {
  for (int q = -128; q <= 127; ++q)
    EXPECT_EQ(quantizeValue(dequantizeValue(q, 0.0173f, -7), 0.0173f, -7,
                            -128, 127),
              q);
}

TEST(ChooseAffineParams, ZeroIsExactlyRepresentable) {
  const double ranges[][2] = {{-1.0, 1.0},  {0.0, 6.0},    {-3.7, 0.2},
                              {0.5, 9.0},   {-9.0, -0.5},  {-1e-3, 5e4},
                              {-0.6, 0.63}, {-1.14, 1.14}};
  for (auto &r : ranges) {
    auto p = chooseAffineParams(r[0], r[1], -128, 127);
    ASSERT_TRUE(p);
    EXPECT_GT(p->scale, 0.0);
    EXPECT_GE(p->zeroPoint, -128);
    EXPECT_LE(p->zeroPoint, 127);
    EXPECT_EQ(dequantizeValue(p->zeroPoint, static_cast<float>(p->scale),
                              p->zeroPoint),
              0.0f);
    EXPECT_EQ(quantizeValue(0.0f, static_cast<float>(p->scale), p->zeroPoint,
                            -128, 127),
              p->zeroPoint);
    // The range (widened to contain 0) is covered up to one step.
    double lo = std::min(r[0], 0.0), hi = std::max(r[1], 0.0);
    EXPECT_LE((-128 - p->zeroPoint) * p->scale, lo + p->scale);
    EXPECT_GE((127 - p->zeroPoint) * p->scale, hi - p->scale);
  }
}

TEST(ChooseAffineParams, OneSidedRanges) {
  auto relu6 = chooseAffineParams(0.0, 6.0, -128, 127);
  ASSERT_TRUE(relu6);
  EXPECT_EQ(relu6->zeroPoint, -128);
  EXPECT_DOUBLE_EQ(relu6->scale, 6.0 / 255.0);
  auto neg = chooseAffineParams(-5.1, -1.0, -128, 127);
  ASSERT_TRUE(neg);
  EXPECT_EQ(neg->zeroPoint, 127);
}

TEST(ChooseAffineParams, DegenerateAndInvalid) {
  auto zero = chooseAffineParams(0.0, 0.0, -128, 127);
  ASSERT_TRUE(zero);
  EXPECT_GT(zero->scale, 0.0);
  EXPECT_EQ(quantizeValue(0.0f, static_cast<float>(zero->scale),
                          zero->zeroPoint, -128, 127),
            zero->zeroPoint);
  EXPECT_FALSE(chooseAffineParams(std::nan(""), 1.0, -128, 127));
  EXPECT_FALSE(chooseAffineParams(0.0, INFINITY, -128, 127));
  EXPECT_FALSE(chooseAffineParams(2.0, 1.0, -128, 127));
}

TEST(ChooseSymmetricScale, Values) {
  EXPECT_DOUBLE_EQ(*chooseSymmetricScale(127.0, 127), 1.0);
  EXPECT_DOUBLE_EQ(*chooseSymmetricScale(2.0, 127), 2.0 / 127);
  double tiny = *chooseSymmetricScale(0.0, 127);
  EXPECT_GT(tiny, 0.0);
  EXPECT_TRUE(std::isfinite(1.0 / tiny));
  EXPECT_FALSE(chooseSymmetricScale(std::nan(""), 127));
  EXPECT_FALSE(chooseSymmetricScale(INFINITY, 127));
  EXPECT_FALSE(chooseSymmetricScale(-1.0, 127));
}

} // namespace
