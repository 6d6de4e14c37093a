//===- E2ERef.cpp - the end-to-end oracle's case generator and reference --===//
//
// The arithmetic contract, written independently of intq (no intq or MLIR
// code), on gemmlowp's fixedpoint.h. See E2ERef.h.
//
//===----------------------------------------------------------------------===//

#include "E2ERef.h"

#include "fixedpoint/fixedpoint.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <type_traits>

using namespace e2eref;

const char *const e2eref::kOutputStagesDisagree =
    "wide and int32 output stages disagree";

namespace {

/// splitmix64: portable, so cases are the same on every machine.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int intIn(int lo, int hi) { return lo + int(next() % uint64_t(hi - lo + 1)); }
};

std::string format(const char *fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

//===----------------------------------------------------------------------===//
// The arithmetic contract.
//===----------------------------------------------------------------------===//

struct Multiplier {
  int32_t m0;
  int shift; // > 0: left shift first; <= 0: rounding right shift after
};

/// Encodes a real multiplier as m0 * 2^(shift - 31); an error message if it
/// has none.
std::string encode(double m, Multiplier &mm) {
  if (!(m > 0) || !std::isfinite(m))
    return "invalid multiplier";
  int e;
  double f = std::frexp(m, &e);
  long long q = std::llround(f * 2147483648.0);
  if (q == 2147483648ll) {
    q /= 2;
    ++e;
  }
  if (e > 30)
    return "multiplier too large for the contract";
  if (e < -31)
    mm = {int32_t(std::llround(std::ldexp(m, 62))), -31};
  else
    mm = {int32_t(q), e};
  return "";
}

int32_t applyMultiplier(int32_t acc, Multiplier mm) {
  int left = mm.shift > 0 ? mm.shift : 0, right = mm.shift > 0 ? 0 : -mm.shift;
  int64_t x = int64_t(acc) * (int64_t(1) << left);
  x = std::min<int64_t>(std::max<int64_t>(x, INT32_MIN), INT32_MAX);
  int32_t hi = gemmlowp::SaturatingRoundingDoublingHighMul(int32_t(x), mm.m0);
  return gemmlowp::RoundingDivideByPOT(hi, right);
}

/// The same output stage on an int64 accumulator, as exact arithmetic on
/// __int128 (no saturation): h = floor((acc * 2^left * m0 + 2^30) / 2^31)
/// (what gemmlowp's SRDHM computes for m0 >= 0), then h / 2^right rounded
/// half away from zero. Where the int32 form does not saturate, both must
/// agree: checked on every call.
std::string applyMultiplierWide(int64_t acc, Multiplier mm, int64_t &result) {
  int left = mm.shift > 0 ? mm.shift : 0, right = mm.shift > 0 ? 0 : -mm.shift;
  __int128 num =
      __int128(acc) * (int64_t(1) << left) * mm.m0 + (int64_t(1) << 30);
  __int128 d = __int128(1) << 31;
  __int128 h = num >= 0 ? num / d : -((-num + d - 1) / d); // floor
  __int128 r = h;
  if (right > 0) {
    __int128 mag = h < 0 ? -h : h;
    mag = (mag + (__int128(1) << (right - 1))) >> right;
    r = h < 0 ? -mag : mag;
  }
  if (r > INT64_MAX / 2 || r < INT64_MIN / 2)
    return "requantized value out of range";
  int64_t shifted = acc * (int64_t(1) << left);
  if (acc >= INT32_MIN && acc <= INT32_MAX && shifted >= INT32_MIN &&
      shifted <= INT32_MAX && int64_t(r) != applyMultiplier(int32_t(acc), mm))
    return kOutputStagesDisagree;
  result = int64_t(r);
  return "";
}

/// TOSA's SINGLE_ROUND scaling on exact integers: the product acc * m0
/// rounded once to a multiple of 2^s (half up), s = 31 - shift in [1, 62].
std::string applyMultiplierSingle(int64_t acc, Multiplier mm, int64_t &result) {
  int s = 31 - mm.shift;
  __int128 p = __int128(acc) * mm.m0 + (__int128(1) << (s - 1));
  __int128 d = __int128(1) << s;
  __int128 r = p >= 0 ? p / d : -((-p + d - 1) / d); // floor
  if (r > INT64_MAX / 2 || r < INT64_MIN / 2)
    return "requantized value out of range";
  result = int64_t(r);
  return "";
}

/// ONNX QuantizeLinear in float.
int32_t quantizeF(float x, float scale, int32_t zp, int32_t lo, int32_t hi) {
  float v = std::nearbyint(x / scale) + float(zp);
  if (std::isnan(v))
    return lo;
  return int32_t(std::min(std::max(v, float(lo)), float(hi)));
}

std::string fmtScale(double s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", s);
  std::string r = buf;
  if (r.find_first_of(".eE") == std::string::npos)
    r += ".0";
  return r;
}

template <typename T> std::string hexData(const std::vector<T> &v) {
  static const char *digits = "0123456789ABCDEF";
  std::string s = "\"0x";
  for (T x : v) {
    auto u = static_cast<typename std::make_unsigned<T>::type>(x);
    for (size_t b = 0; b < sizeof(T); ++b) { // little endian
      unsigned byte = (u >> (8 * b)) & 0xFF;
      s += digits[byte >> 4];
      s += digits[byte & 15];
    }
  }
  return s + "\"";
}

std::string shapeStr(const std::vector<int64_t> &shape) {
  std::string s;
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s;
}

} // namespace

//===----------------------------------------------------------------------===//
// add
//===----------------------------------------------------------------------===//

/// Offsets << 20, rescaled to 2 max(S_a, S_b), summed, requantized.
std::string e2eref::generate(const AddSpec &spec, Case &out) {
  Rng rng(spec.seed);
  int64_t n = spec.n, h = spec.h, w = spec.w, c = spec.c;
  int64_t count = n * h * w * c;
  const Storage &inSt = spec.in, &outSt = spec.out;
  int32_t inLo = inSt.lo(), inHi = inSt.hi();
  int32_t outLo = outSt.lo(), outHi = outSt.hi();
  const std::string &act = spec.act;
  double sA = std::pow(10.0, rng.uniform(-2.5, -0.5));
  double sB = sA * spec.scaleRatio;
  int32_t zA = spec.inZp;
  int32_t zB = spec.inZpB;
  std::vector<int32_t> qa(count), qb(count);
  for (auto &q : qa)
    q = rng.intIn(inLo, inHi);
  for (auto &q : qb)
    q = rng.intIn(inLo, inHi);
  std::vector<double> yF(count);
  double lo = 0, hi = 0;
  for (int64_t i = 0; i < count; ++i) {
    double f = sA * (qa[i] - zA) + sB * (qb[i] - zB);
    if (act == "relu")
      f = std::max(f, 0.0);
    yF[i] = f;
    lo = std::min(lo, f), hi = std::max(hi, f);
  }
  double sOut = (hi - lo) / double(outHi - outLo) * spec.outScaleMul;
  int32_t zOut =
      outSt.bits == 16
          ? 0
          : int32_t(std::min(
                double(outHi),
                std::max(double(outLo), std::round(outLo - lo / sOut))));
  if (outSt.bits == 16)
    sOut = std::max(-lo, hi) / 32767.0 * spec.outScaleMul;
  int32_t qLo = outLo, qHi = outHi;
  if (act == "relu")
    qLo = std::max(qLo, quantizeF(0.0f, float(sOut), zOut, outLo, outHi));
  // Offsets are shifted left by 28 - (wider storage bits): 20 for 8-bit.
  int shift = 28 - std::max(inSt.bits, 8);
  double twiceMax = 2.0 * std::max(sA, sB);
  Multiplier ma, mb, mo;
  std::string err;
  if (!(err = encode(sA / twiceMax, ma)).empty() ||
      !(err = encode(sB / twiceMax, mb)).empty() ||
      !(err = encode(twiceMax / (double(1 << shift) * sOut), mo)).empty())
    return err;
  std::vector<uint8_t> expected, inA, inB;
  std::vector<float> floatOut(count);
  for (int64_t i = 0; i < count; ++i) {
    int32_t xa = applyMultiplier((qa[i] - zA) * (1 << shift), ma);
    int32_t xb = applyMultiplier((qb[i] - zB) * (1 << shift), mb);
    int64_t r = int64_t(applyMultiplier(xa + xb, mo)) + zOut;
    outSt.append(expected, std::min<int64_t>(std::max<int64_t>(r, qLo), qHi));
    floatOut[i] = float(yF[i]);
    inSt.append(inA, qa[i]);
    inSt.append(inB, qb[i]);
  }
  std::vector<uint8_t> inBytes = inA;
  inBytes.insert(inBytes.end(), inB.begin(), inB.end());
  std::string st = inSt.type(), so = outSt.type();
  std::string shape = std::to_string(n) + "x" + std::to_string(h) + "x" +
                      std::to_string(w) + "x" + std::to_string(c) + "x";
  std::string tA = "tensor<" + shape + "!quant.uniform<" + st + ":f32, " +
                   fmtScale(sA) + ":" + std::to_string(zA) + ">>";
  std::string tB = "tensor<" + shape + "!quant.uniform<" + st + ":f32, " +
                   fmtScale(sB) + ":" + std::to_string(zB) + ">>";
  std::string tO = "tensor<" + shape + "!quant.uniform<" + so + ":f32, " +
                   fmtScale(sOut) + ":" + std::to_string(zOut) + ">>";
  out.mlir = "// Generated by intq-e2e-ref gen --kind=add\n";
  out.mlir += "func.func @kernel(%a: " + tA + ", %b: " + tB + ") -> " + tO +
              " {\n  %r = intq.add %a, %b {" +
              (act == "relu" ? "clamp_min = 0.0 : f64" : "") + "} : (" + tA +
              ", " + tB + ") -> " + tO + "\n  return %r : " + tO + "\n}\n";
  out.input = std::move(inBytes);
  out.expected = std::move(expected);
  out.floatOut = std::move(floatOut);
  out.inCount = 2 * count;
  out.outCount = count;
  out.outScale = sOut;
  out.outZp = zOut;
  out.outStorage = outSt;
  out.numInputs = 2;
  out.summary = format("%lld outputs, two inputs, multipliers %.3g, %.3g, %.3g",
                       (long long)count, sA / twiceMax, sB / twiceMax,
                       twiceMax / (double(1 << shift) * sOut));
  return "";
}

//===----------------------------------------------------------------------===//
// maxpool / avgpool
//===----------------------------------------------------------------------===//

/// Max: padding never wins. Avg: sum of q - Z over the window positions
/// inside the input, divided by their count rounding half away from zero,
/// plus Z.
std::string e2eref::generate(const PoolSpec &spec, Case &out) {
  bool isMax = spec.isMax;
  Rng rng(spec.seed);
  int64_t n = spec.n, h = spec.h, w = spec.w, c = spec.c;
  int64_t kh = spec.kh, kw = spec.kw;
  const auto &stride = spec.stride;
  const auto &pad = spec.pad;
  const Storage &st = spec.in;
  int32_t lo = st.lo(), hi = st.hi();
  int32_t z = spec.inZp;
  double sc = std::pow(10.0, rng.uniform(-2.5, -0.5));
  int64_t oh = (h + pad[0] + pad[1] - kh) / stride[0] + 1;
  int64_t ow = (w + pad[2] + pad[3] - kw) / stride[1] + 1;
  std::vector<int32_t> q(n * h * w * c);
  for (auto &v : q)
    v = rng.intIn(lo, hi);
  std::vector<uint8_t> expected, inBytes;
  std::vector<float> floatOut;
  for (int32_t v : q)
    st.append(inBytes, v);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        for (int64_t ch = 0; ch < c; ++ch) {
          int64_t best = INT64_MIN, sum = 0, count = 0;
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t iy = y * stride[0] + ky - pad[0];
              int64_t ix = x * stride[1] + kx - pad[2];
              if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                continue;
              int32_t v = q[((b * h + iy) * w + ix) * c + ch];
              best = std::max<int64_t>(best, v);
              sum += v - z;
              ++count;
            }
          int64_t r;
          double f;
          if (isMax) {
            r = best;
            f = sc * double(best - z);
          } else {
            int64_t half = count / 2;
            r = (sum + (sum < 0 ? -half : half)) / count + z;
            f = sc * double(sum) / double(count);
          }
          r = std::min<int64_t>(std::max<int64_t>(r, lo), hi);
          st.append(expected, r);
          floatOut.push_back(float(f));
        }
  std::string qt = "!quant.uniform<" + st.type() + ":f32, " + fmtScale(sc) +
                   ":" + std::to_string(z) + ">";
  std::string tIn = "tensor<" + shapeStr({n, h, w, c}) + qt + ">";
  std::string tOut = "tensor<" + shapeStr({n, oh, ow, c}) + qt + ">";
  std::string kind = isMax ? "maxpool" : "avgpool";
  out.mlir = "// Generated by intq-e2e-ref gen --kind=" + kind + "\n" +
             "func.func @kernel(%in: " + tIn + ") -> " + tOut + " {\n" +
             "  %r = intq." + (isMax ? "max_pool2d" : "avg_pool2d") +
             " %in {kernel = array<i64: " + std::to_string(kh) + ", " +
             std::to_string(kw) +
             ">, stride = array<i64: " + std::to_string(stride[0]) + ", " +
             std::to_string(stride[1]) +
             ">, pad = array<i64: " + std::to_string(pad[0]) + ", " +
             std::to_string(pad[1]) + ", " + std::to_string(pad[2]) + ", " +
             std::to_string(pad[3]) + ">} : " + tIn + " -> " + tOut + "\n" +
             "  return %r : " + tOut + "\n}\n";
  out.inCount = int64_t(q.size());
  out.outCount = int64_t(floatOut.size());
  out.outScale = sc;
  out.outZp = z;
  out.outStorage = st;
  out.numInputs = 1;
  out.summary = format("%zu outputs, %s pooling %lldx%lld", floatOut.size(),
                       isMax ? "max" : "average", (long long)kh, (long long)kw);
  out.input = std::move(inBytes);
  out.expected = std::move(expected);
  out.floatOut = std::move(floatOut);
  return "";
}

//===----------------------------------------------------------------------===//
// conv2d / depthwise / grouped / matmul
//===----------------------------------------------------------------------===//

std::string e2eref::generate(const GemmSpec &spec, Case &out) {
  const std::string &kind = spec.kind;
  Rng rng(spec.seed);
  const std::string &act = spec.act;
  int32_t zIn = spec.inZp;
  // uint8 storage [0, 255] instead of int8; int16 [-32767, 32767].
  const Storage &inSt = spec.in, &outSt = spec.out;
  if (!inSt.valid() || !outSt.valid())
    return "storage must be 8 bits, or 16 bits (signed)";
  int32_t inLo = inSt.lo(), inHi = inSt.hi();
  int32_t outLo = outSt.lo(), outHi = outSt.hi();
  double outScaleMul = spec.outScaleMul;
  double wScaleMin = spec.wScaleMin;
  double wScaleMax = spec.wScaleMax;
  if (zIn < inLo || zIn > inHi)
    return "--in-zp out of range";

  bool isMatmul = kind == "matmul";
  int64_t n = 1, h = 1, w = 1, c, o, kh = 1, kw = 1, groups = 1;
  std::array<int64_t, 2> stride = {1, 1}, dil = {1, 1};
  std::array<int64_t, 4> pad = {0, 0, 0, 0};
  int64_t m = 1, k = 1;
  if (isMatmul) {
    m = spec.m;
    k = spec.k;
    o = spec.nout;
    c = k;
  } else if (kind == "conv" || kind == "dwconv") {
    n = spec.n, h = spec.h, w = spec.w;
    c = spec.c;
    kh = spec.kh, kw = spec.kw;
    stride = spec.stride;
    pad = spec.pad;
    dil = spec.dilation;
    if (kind == "dwconv") {
      groups = c;
      o = c * spec.mult;
    } else {
      groups = spec.groups;
      o = spec.o;
    }
    if (c % groups || o % groups)
      return "channels not divisible by groups";
  } else {
    return "--kind must be conv, dwconv or matmul";
  }
  int64_t cg = c / groups, og = o / groups;
  int64_t oh = 1, ow = 1;
  if (!isMatmul) {
    oh = (h + pad[0] + pad[1] - dil[0] * (kh - 1) - 1) / stride[0] + 1;
    ow = (w + pad[2] + pad[3] - dil[1] * (kw - 1) - 1) / stride[1] + 1;
    if (oh < 1 || ow < 1)
      return "empty output";
  }
  int64_t red = kh * kw * cg; // reduction length per output

  // Input: int8 values with a real scale.
  double sIn = std::pow(10.0, rng.uniform(-2.5, -0.5));
  int64_t inCount = isMatmul ? m * k : n * h * w * c;
  bool sparse = spec.sparse;
  std::vector<int32_t> qIn(inCount);
  for (auto &q : qIn)
    q = sparse ? std::min(inHi, std::max(inLo, zIn + (rng.uniform() < 0.1
                                                          ? rng.intIn(-1, 1)
                                                          : 0)))
               : rng.intIn(inLo, inHi);

  // Float weights whose per-channel scales spread log-uniformly over
  // [wscale-min, wscale-max]; quantized symmetric narrow range ([-63, 63]
  // with 7 weight bits), or with 4 weight bits to [-8, 7] (scale max|w| / 7), with 2 to the ternary
  // [-1, 1].
  int weightBits = spec.weightBits;
  int32_t wMax = weightBits == 7   ? 63
                 : weightBits == 4 ? 7
                 : weightBits == 2 ? 1
                                   : 127;
  int32_t wMin = weightBits == 4 ? -8 : -wMax;
  std::vector<double> sW(o);
  std::vector<float> wF(o * red);
  std::vector<int8_t> qW(o * red);
  for (int64_t oc = 0; oc < o; ++oc) {
    double t = o == 1 ? rng.uniform() : double((oc * 7) % o) / double(o - 1);
    double target = wScaleMin * std::pow(wScaleMax / wScaleMin, t);
    float maxAbs = 0;
    for (int64_t i = 0; i < red; ++i) {
      float v = float(rng.uniform(-1.0, 1.0) * 127.0 * target);
      wF[oc * red + i] = v;
      maxAbs = std::max(maxAbs, std::abs(v));
    }
    sW[oc] = double(maxAbs) / wMax;
    if (sW[oc] == 0)
      sW[oc] = 1e-6;
    for (int64_t i = 0; i < red; ++i)
      qW[oc * red + i] =
          int8_t(quantizeF(wF[oc * red + i], float(sW[oc]), 0, wMin, wMax));
  }
  // Bias: a few accumulator units' worth, quantized with S_in * S_w.
  std::vector<double> sB(o);
  std::vector<float> bF(o);
  std::vector<int32_t> qB(o);
  for (int64_t oc = 0; oc < o; ++oc) {
    sB[oc] = sIn * sW[oc];
    double typical = sparse ? sB[oc] * 4.0
                            : sB[oc] * (inSt.bits == 16 ? 16384.0 : 64.0) *
                                  std::sqrt(double(red)) * 8.0;
    bF[oc] = float(rng.uniform(-1.0, 1.0) * typical);
    double q = std::nearbyint(double(bF[oc]) / sB[oc]);
    qB[oc] = int32_t(std::min(std::max(q, -2147483648.0), 2147483647.0));
  }

  // Correlated (matmul): the first row takes the sign of the first
  // channel's weights at full scale, so that channel's accumulator reaches
  // max|q_in| * sum|q_w| (beyond int32 for int16 inputs and long K).
  if (spec.correlated) {
    if (!isMatmul)
      return "--correlated needs --kind=matmul";
    for (int64_t i = 0; i < k; ++i)
      qIn[i] = qW[i] >= 0 ? inHi : inLo;
  }

  // Reference computations: integer accumulators and the float model
  // (dequantized input, float weights and bias).
  int64_t outCount = isMatmul ? m * o : n * oh * ow * o;
  std::vector<int64_t> acc(outCount);
  std::vector<double> yF(outCount);
  auto inIndex = [&](int64_t b, int64_t y, int64_t x, int64_t ch) {
    return ((b * h + y) * w + x) * c + ch;
  };
  for (int64_t b = 0; b < (isMatmul ? m : n); ++b)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        for (int64_t oc = 0; oc < o; ++oc) {
          int64_t g = oc / og;
          int64_t a = qB[oc];
          double f = bF[oc];
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx)
              for (int64_t i = 0; i < cg; ++i) {
                int64_t wi = ((oc * kh + ky) * kw + kx) * cg + i;
                int32_t qi;
                if (isMatmul) {
                  qi = qIn[b * k + i];
                } else {
                  int64_t iy = y * stride[0] + ky * dil[0] - pad[0];
                  int64_t ix = x * stride[1] + kx * dil[1] - pad[2];
                  if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                    continue; // padding: real 0
                  qi = qIn[inIndex(b, iy, ix, g * cg + i)];
                }
                a += int64_t(qi - zIn) * qW[wi];
                f += sIn * double(qi - zIn) * double(wF[wi]);
              }
          int64_t idx =
              isMatmul ? b * o + oc : ((b * oh + y) * ow + x) * o + oc;
          if (a < -(int64_t(1) << 62) || a > (int64_t(1) << 62))
            return "accumulator beyond 2^62 in the reference";
          acc[idx] = a;
          if (act == "relu" || act == "relu6")
            f = std::max(f, 0.0);
          if (act == "relu6")
            f = std::min(f, 6.0);
          yF[idx] = f;
        }

  // Output parameters from the float output range (0 included).
  double lo = 0, hi = 0;
  for (double v : yF)
    lo = std::min(lo, v), hi = std::max(hi, v);
  if (hi == lo)
    hi = lo + 1;
  double sOut = (hi - lo) / 255.0 * outScaleMul;
  int32_t zOut = int32_t(std::min(
      double(outHi), std::max(double(outLo), std::round(outLo - lo / sOut))));
  if (outSt.bits == 16) { // symmetric
    sOut = std::max(-lo, hi) / 32767.0 * outScaleMul;
    zOut = 0;
  }

  int32_t qLo = outLo, qHi = outHi;
  if (act == "relu" || act == "relu6")
    qLo = std::max(qLo, quantizeF(0.0f, float(sOut), zOut, outLo, outHi));
  if (act == "relu6")
    qHi = std::min(qHi, quantizeF(6.0f, float(sOut), zOut, outLo, outHi));
  if (qLo > qHi)
    qLo = qHi;

  std::vector<uint8_t> expected;
  std::vector<float> floatOut(outCount);
  double mMin = INFINITY, mMax = 0;
  int64_t saturated = 0, leftShifted = 0, maxAcc = 0;
  for (int64_t idx = 0; idx < outCount; ++idx) {
    int64_t oc = idx % o;
    double mReal = sIn * sW[oc] / sOut;
    Multiplier mm;
    std::string err = encode(mReal, mm);
    if (!err.empty())
      return err;
    mMin = std::min(mMin, mReal), mMax = std::max(mMax, mReal);
    leftShifted += mm.shift > 0;
    int64_t r;
    err = spec.rounding == "single"
              ? applyMultiplierSingle(acc[idx], mm, r)
              : applyMultiplierWide(acc[idx], mm, r);
    if (!err.empty())
      return err;
    r += zOut;
    maxAcc = std::max(maxAcc, std::abs(acc[idx]));
    saturated += r < qLo || r > qHi;
    outSt.append(expected, std::min<int64_t>(std::max<int64_t>(r, qLo), qHi));
    floatOut[idx] = float(yF[idx]);
  }
  out.summary =
      format("%lld outputs, reduction %lld, multipliers %.3g..%.3g "
             "(%lld outputs with a left shift), %lld clamped, max "
             "|acc| %.3g",
             (long long)outCount, (long long)red, mMin, mMax,
             (long long)leftShifted, (long long)saturated, double(maxAcc));

  // The MLIR case.
  std::string inTy = "!quant.uniform<" + inSt.type() + ":f32, " +
                     fmtScale(sIn) + ":" + std::to_string(zIn) + ">";
  std::string outTy = "!quant.uniform<" + outSt.type() + ":f32, " +
                      fmtScale(sOut) + ":" + std::to_string(zOut) + ">";
  std::string wScales, bScales;
  for (int64_t oc = 0; oc < o; ++oc) {
    wScales += (oc ? "," : "") + fmtScale(sW[oc]);
    bScales += (oc ? "," : "") + fmtScale(sB[oc]);
  }
  std::string wTy = "!quant.uniform<i8<" + std::to_string(wMin) + ":" +
                    std::to_string(wMax) + ">:f32:0, {" + wScales + "}>";
  std::string bTy = "!quant.uniform<i32:f32:0, {" + bScales + "}>";
  std::vector<int64_t> inShape =
      isMatmul ? std::vector<int64_t>{m, k} : std::vector<int64_t>{n, h, w, c};
  std::vector<int64_t> wShape = isMatmul ? std::vector<int64_t>{o, k}
                                         : std::vector<int64_t>{o, kh, kw, cg};
  std::vector<int64_t> outShape = isMatmul ? std::vector<int64_t>{m, o}
                                           : std::vector<int64_t>{n, oh, ow, o};
  std::string tIn = "tensor<" + shapeStr(inShape) + inTy + ">";
  std::string tW = "tensor<" + shapeStr(wShape) + wTy + ">";
  std::string tB = "tensor<" + std::to_string(o) + "x" + bTy + ">";
  std::string tOut = "tensor<" + shapeStr(outShape) + outTy + ">";
  std::string clamp;
  if (act == "relu" || act == "relu6")
    clamp += ", clamp_min = 0.0 : f64";
  if (act == "relu6")
    clamp += ", clamp_max = 6.0 : f64";
  if (spec.rounding == "single")
    clamp += ", rounding = #intq.rounding<single>";

  std::string &mlir = out.mlir;
  mlir = "// Generated by intq-e2e-ref gen --kind=" + kind + "\n";
  mlir += "func.func @kernel(%in: " + tIn + ") -> " + tOut + " {\n";
  mlir += "  %w = intq.qconst dense<" + hexData(qW) + "> : tensor<" +
          shapeStr(wShape) + "i8> -> " + tW + "\n";
  mlir += "  %b = intq.qconst dense<" + hexData(qB) + "> : tensor<" +
          std::to_string(o) + "xi32> -> " + tB + "\n";
  if (isMatmul) {
    mlir += "  %r = intq.matmul %in, %w, %b {" +
            (clamp.empty() ? "" : clamp.substr(2)) + "} : (" + tIn + ", " + tW +
            ", " + tB + ") -> " + tOut + "\n";
  } else {
    mlir += "  %r = intq.conv2d %in, %w, %b {stride = array<i64: " +
            std::to_string(stride[0]) + ", " + std::to_string(stride[1]) +
            ">, pad = array<i64: " + std::to_string(pad[0]) + ", " +
            std::to_string(pad[1]) + ", " + std::to_string(pad[2]) + ", " +
            std::to_string(pad[3]) +
            ">, dilation = array<i64: " + std::to_string(dil[0]) + ", " +
            std::to_string(dil[1]) + ">, groups = " + std::to_string(groups) +
            " : i64" + clamp + "} : (" + tIn + ", " + tW + ", " + tB + ") -> " +
            tOut + "\n";
  }
  mlir += "  return %r : " + tOut + "\n}\n";

  std::vector<uint8_t> inBytes;
  for (int32_t q : qIn)
    inSt.append(inBytes, q);
  out.input = std::move(inBytes);
  out.expected = std::move(expected);
  out.floatOut = std::move(floatOut);
  out.inCount = inCount;
  out.outCount = outCount;
  out.outScale = sOut;
  out.outZp = zOut;
  out.outStorage = outSt;
  out.numInputs = 1;
  return "";
}
