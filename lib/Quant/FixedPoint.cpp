//===- FixedPoint.cpp - Integer requantization arithmetic -----------------===//

#include "intq/Quant/FixedPoint.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace intq {
namespace quant {

std::optional<QuantizedMultiplier> quantizeMultiplier(double m) {
  if (!std::isfinite(m) || m <= 0.0)
    return std::nullopt;
  int exp = 0;
  double q = std::frexp(m, &exp); // m = q * 2^exp, q in [0.5, 1)
  int64_t q31 = static_cast<int64_t>(std::round(q * (1ll << 31)));
  if (q31 == (1ll << 31)) {
    q31 /= 2;
    ++exp;
  }
  if (exp > 30)
    return std::nullopt;
  if (exp < -31) {
    // Denormalize: keep shift = -31, M0 = round(m * 2^62).
    double d = std::round(std::ldexp(m, 62));
    return QuantizedMultiplier{static_cast<int32_t>(d), -31};
  }
  return QuantizedMultiplier{static_cast<int32_t>(q31), exp};
}

int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min())
    return std::numeric_limits<int32_t>::max();
  int64_t p = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  int64_t nudge = p >= 0 ? (1ll << 30) : (1 - (1ll << 30));
  return static_cast<int32_t>((p + nudge) / (1ll << 31));
}

int32_t roundingDivideByPOT(int32_t x, int exponent) {
  int64_t mask = (1ll << exponent) - 1;
  int64_t rem = static_cast<int64_t>(x) & mask;
  int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return static_cast<int32_t>((static_cast<int64_t>(x) >> exponent) +
                              (rem > threshold ? 1 : 0));
}

int32_t saturatingLeftShift(int32_t x, int left) {
  int64_t v = static_cast<int64_t>(x) * (int64_t(1) << left);
  v = std::min<int64_t>(std::max<int64_t>(v, INT32_MIN), INT32_MAX);
  return static_cast<int32_t>(v);
}

int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier qm) {
  int32_t shifted = saturatingLeftShift(x, qm.leftShift());
  return roundingDivideByPOT(
      saturatingRoundingDoublingHighMul(shifted, qm.multiplier),
      qm.rightShift());
}

int32_t requantize(int32_t acc, QuantizedMultiplier qm, int32_t zeroPoint,
                   int32_t lo, int32_t hi) {
  int64_t v = static_cast<int64_t>(multiplyByQuantizedMultiplier(acc, qm)) +
              zeroPoint;
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(v, lo), hi));
}

int32_t requantizeWide(int64_t acc, QuantizedMultiplier qm, int32_t zeroPoint,
                       int32_t lo, int32_t hi) {
  __int128 v = static_cast<__int128>(acc) * (int64_t(1) << qm.leftShift());
  __int128 h = (v * qm.multiplier + (int64_t(1) << 30)) >> 31;
  int right = qm.rightShift();
  __int128 mask = (static_cast<__int128>(1) << right) - 1;
  __int128 threshold = (mask >> 1) + (h < 0 ? 1 : 0);
  __int128 r = (h >> right) + ((h & mask) > threshold ? 1 : 0);
  r += zeroPoint;
  if (r < lo)
    return lo;
  if (r > hi)
    return hi;
  return static_cast<int32_t>(r);
}

int32_t requantizeSingleRound(int64_t acc, QuantizedMultiplier qm,
                              int32_t zeroPoint, int32_t lo, int32_t hi) {
  int s = 31 - qm.shift;
  __int128 p = static_cast<__int128>(acc) * qm.multiplier;
  __int128 r = ((p + (static_cast<__int128>(1) << (s - 1))) >> s) + zeroPoint;
  if (r < lo)
    return lo;
  if (r > hi)
    return hi;
  return static_cast<int32_t>(r);
}

int32_t quantizeValue(float x, float scale, int32_t zeroPoint, int32_t qmin,
                      int32_t qmax) {
  float v = std::nearbyint(x / scale) + static_cast<float>(zeroPoint);
  if (std::isnan(v))
    return qmin;
  v = std::max(v, static_cast<float>(qmin));
  v = std::min(v, static_cast<float>(qmax));
  return static_cast<int32_t>(v);
}

float dequantizeValue(int32_t q, float scale, int32_t zeroPoint) {
  return static_cast<float>(q - zeroPoint) * scale;
}

std::optional<AffineParams> chooseAffineParams(double rmin, double rmax,
                                               int32_t qmin, int32_t qmax) {
  if (!std::isfinite(rmin) || !std::isfinite(rmax) || rmin > rmax ||
      qmin >= qmax)
    return std::nullopt;
  rmin = std::min(rmin, 0.0);
  rmax = std::max(rmax, 0.0);
  AffineParams p;
  if (rmax == rmin) {
    p.scale = 1.0;
    p.zeroPoint = std::clamp<int32_t>(0, qmin, qmax);
    return p;
  }
  p.scale = (rmax - rmin) / (double(qmax) - double(qmin));
  double zp = double(qmin) - rmin / p.scale;
  p.zeroPoint = static_cast<int32_t>(
      std::clamp<double>(std::round(zp), double(qmin), double(qmax)));
  return p;
}

std::optional<double> chooseSymmetricScale(double maxAbs, int32_t qmax) {
  if (!std::isfinite(maxAbs) || maxAbs < 0 || qmax <= 0)
    return std::nullopt;
  double s = maxAbs / qmax;
  double tiny = std::numeric_limits<float>::min();
  return std::max(s, tiny);
}

} // namespace quant
} // namespace intq
