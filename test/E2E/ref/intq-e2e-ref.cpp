//===- intq-e2e-ref.cpp - independent oracle for the end-to-end sweep -----===//
//
// Generates a quantized conv2d / depthwise / grouped conv / matmul case as
// intq MLIR plus its inputs, computes the expected int8 output with an
// independent implementation of the arithmetic contract built on gemmlowp's
// fixedpoint.h, and checks a compiled kernel's output against it (bit for
// bit) and against the float model (SQNR).
//
// It deliberately shares no code with intq (no intq or MLIR headers).
//
//   intq-e2e-ref gen --kind=conv|dwconv|matmul <shape options> --out=PREFIX
//   intq-e2e-ref check --prefix=PREFIX --actual=FILE [--min-sqnr=DB]
//
//===----------------------------------------------------------------------===//

#include "fixedpoint/fixedpoint.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "intq-e2e-ref: %s\n", msg.c_str());
  std::exit(2);
}

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

//===----------------------------------------------------------------------===//
// The arithmetic contract, written independently of intq.
//===----------------------------------------------------------------------===//

struct Multiplier {
  int32_t m0;
  int shift; // > 0: left shift first; <= 0: rounding right shift after
};

Multiplier encode(double m) {
  if (!(m > 0) || !std::isfinite(m))
    die("invalid multiplier");
  int e;
  double f = std::frexp(m, &e);
  long long q = std::llround(f * 2147483648.0);
  if (q == 2147483648ll) {
    q /= 2;
    ++e;
  }
  if (e > 30)
    die("multiplier too large for the contract");
  if (e < -31)
    return {int32_t(std::llround(std::ldexp(m, 62))), -31};
  return {int32_t(q), e};
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
int64_t applyMultiplierWide(int64_t acc, Multiplier mm) {
  int left = mm.shift > 0 ? mm.shift : 0, right = mm.shift > 0 ? 0 : -mm.shift;
  __int128 num = __int128(acc) * (int64_t(1) << left) * mm.m0 + (int64_t(1) << 30);
  __int128 d = __int128(1) << 31;
  __int128 h = num >= 0 ? num / d : -((-num + d - 1) / d); // floor
  __int128 r = h;
  if (right > 0) {
    __int128 mag = h < 0 ? -h : h;
    mag = (mag + (__int128(1) << (right - 1))) >> right;
    r = h < 0 ? -mag : mag;
  }
  if (r > INT64_MAX / 2 || r < INT64_MIN / 2)
    die("requantized value out of range");
  int64_t shifted = acc * (int64_t(1) << left);
  if (acc >= INT32_MIN && acc <= INT32_MAX && shifted >= INT32_MIN &&
      shifted <= INT32_MAX && int64_t(r) != applyMultiplier(int32_t(acc), mm))
    die("wide and int32 output stages disagree");
  return int64_t(r);
}

/// Storage of a generated tensor: int8, uint8, or int16 (symmetric narrow
/// range [-32767, 32767], as intq's int16 activations). Files hold the
/// storage little endian, 1 or 2 bytes per element.
struct Storage {
  int bits = 8;
  bool isUnsigned = false;
  int32_t lo() const { return bits == 16 ? -32767 : isUnsigned ? 0 : -128; }
  int32_t hi() const { return bits == 16 ? 32767 : isUnsigned ? 255 : 127; }
  std::string type() const {
    return bits == 16 ? "i16<-32767:32767>" : isUnsigned ? "u8" : "i8";
  }
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

/// --PREFIX-bits=8|16 and --PREFIX-unsigned=0|1.
Storage getStorage(std::map<std::string, std::string> &opt,
                   const std::string &prefix) {
  Storage st;
  auto bits = opt.find(prefix + "-bits");
  st.bits = bits == opt.end() ? 8 : std::stoi(bits->second);
  auto u = opt.find(prefix + "-unsigned");
  st.isUnsigned = u != opt.end() && u->second == "1";
  if ((st.bits != 8 && st.bits != 16) || (st.bits == 16 && st.isUnsigned))
    die("--" + prefix + "-bits must be 8, or 16 (signed)");
  return st;
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

template <typename T>
void writeFile(const std::string &path, const std::vector<T> &v) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(T));
  if (!f)
    die("cannot write " + path);
}

template <typename T> std::vector<T> readFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f)
    die("cannot read " + path);
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), {});
  std::vector<T> v(bytes.size() / sizeof(T));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(T));
  return v;
}

std::vector<int64_t> parseList(const std::string &s, size_t n) {
  std::vector<int64_t> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    v.push_back(std::stoll(item));
  if (v.size() != n)
    die("expected " + std::to_string(n) + " values in '" + s + "'");
  return v;
}

//===----------------------------------------------------------------------===//
// gen
//===----------------------------------------------------------------------===//

/// --kind=add: two int8/uint8 tensors added with the TFLite reference
/// arithmetic (offsets << 20, rescaled to 2 max(S_a, S_b), summed,
/// requantized), written independently of intq.
int genAdd(std::map<std::string, std::string> &opt) {
  auto get = [&](const char *k, const char *def) -> std::string {
    auto it = opt.find(k);
    return it == opt.end() ? std::string(def) : it->second;
  };
  Rng rng(uint64_t(std::stoll(get("seed", "1"))));
  std::string out = get("out", "");
  int64_t n = std::stoll(get("n", "1")), h = std::stoll(get("h", "1")),
          w = std::stoll(get("w", "1")), c = std::stoll(get("c", "1"));
  int64_t count = n * h * w * c;
  Storage inSt = getStorage(opt, "in"), outSt = getStorage(opt, "out");
  int32_t inLo = inSt.lo(), inHi = inSt.hi();
  int32_t outLo = outSt.lo(), outHi = outSt.hi();
  std::string act = get("act", "none");
  double sA = std::pow(10.0, rng.uniform(-2.5, -0.5));
  double sB = sA * std::stod(get("scale-ratio", "3.7"));
  int32_t zA = int32_t(std::stoll(get("in-zp", "0")));
  int32_t zB = int32_t(std::stoll(get("in-zp-b", "0")));
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
  double sOut = (hi - lo) / double(outHi - outLo) *
                std::stod(get("out-scale-mul", "1"));
  int32_t zOut = outSt.bits == 16
                     ? 0
                     : int32_t(std::min(double(outHi),
                                        std::max(double(outLo),
                                                 std::round(outLo - lo / sOut))));
  if (outSt.bits == 16)
    sOut = std::max(-lo, hi) / 32767.0 * std::stod(get("out-scale-mul", "1"));
  int32_t qLo = outLo, qHi = outHi;
  if (act == "relu")
    qLo = std::max(qLo, quantizeF(0.0f, float(sOut), zOut, outLo, outHi));
  // Offsets are shifted left by 28 - (wider storage bits): 20 for 8-bit.
  int shift = 28 - std::max(inSt.bits, 8);
  double twiceMax = 2.0 * std::max(sA, sB);
  Multiplier ma = encode(sA / twiceMax), mb = encode(sB / twiceMax);
  Multiplier mo = encode(twiceMax / (double(1 << shift) * sOut));
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
  std::ofstream mlir(out + ".mlir");
  mlir << "// Generated by intq-e2e-ref gen --kind=add\n";
  mlir << "func.func @kernel(%a: " << tA << ", %b: " << tB << ") -> " << tO
       << " {\n  %r = intq.add %a, %b {"
       << (act == "relu" ? "clamp_min = 0.0 : f64" : "") << "} : (" << tA
       << ", " << tB << ") -> " << tO << "\n  return %r : " << tO << "\n}\n";
  writeFile(out + ".in.bin", inBytes);
  writeFile(out + ".expected.bin", expected);
  writeFile(out + ".float.bin", floatOut);
  std::ofstream meta(out + ".meta");
  meta.precision(17);
  meta << 2 * count << " " << count << " " << sOut << " " << zOut << " "
       << (outSt.isUnsigned ? 1 : 0) << " " << outSt.bits << "\n";
  std::printf("%s: %lld outputs, two inputs, multipliers %.3g, %.3g, %.3g\n",
              out.c_str(), (long long)count, sA / twiceMax, sB / twiceMax,
              twiceMax / (double(1 << shift) * sOut));
  return 0;
}

/// --kind=maxpool|avgpool: scale-preserving integer pooling. Max: padding
/// never wins. Avg: sum of q - Z over the window positions inside the input,
/// divided by their count rounding half away from zero, plus Z.
int genPool(std::map<std::string, std::string> &opt) {
  auto get = [&](const char *k, const char *def) -> std::string {
    auto it = opt.find(k);
    return it == opt.end() ? std::string(def) : it->second;
  };
  bool isMax = opt["kind"] == "maxpool";
  Rng rng(uint64_t(std::stoll(get("seed", "1"))));
  std::string out = get("out", "");
  int64_t n = std::stoll(get("n", "1")), h = std::stoll(get("h", "1")),
          w = std::stoll(get("w", "1")), c = std::stoll(get("c", "1"));
  int64_t kh = std::stoll(get("kh", "2")), kw = std::stoll(get("kw", "2"));
  auto stride = parseList(get("stride", "1,1"), 2);
  auto pad = parseList(get("pad", "0,0,0,0"), 4);
  Storage st = getStorage(opt, "in");
  int32_t lo = st.lo(), hi = st.hi();
  int32_t z = int32_t(std::stoll(get("in-zp", "0")));
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
  std::ofstream mlir(out + ".mlir");
  mlir << "// Generated by intq-e2e-ref gen --kind=" << opt["kind"] << "\n"
       << "func.func @kernel(%in: " << tIn << ") -> " << tOut << " {\n"
       << "  %r = intq." << (isMax ? "max_pool2d" : "avg_pool2d")
       << " %in {kernel = array<i64: " << kh << ", " << kw
       << ">, stride = array<i64: " << stride[0] << ", " << stride[1]
       << ">, pad = array<i64: " << pad[0] << ", " << pad[1] << ", " << pad[2]
       << ", " << pad[3] << ">} : " << tIn << " -> " << tOut << "\n"
       << "  return %r : " << tOut << "\n}\n";
  writeFile(out + ".in.bin", inBytes);
  writeFile(out + ".expected.bin", expected);
  writeFile(out + ".float.bin", floatOut);
  std::ofstream meta(out + ".meta");
  meta.precision(17);
  meta << q.size() << " " << floatOut.size() << " " << sc << " " << z << " "
       << (st.isUnsigned ? 1 : 0) << " " << st.bits << "\n";
  std::printf("%s: %zu outputs, %s pooling %lldx%lld\n", out.c_str(),
              floatOut.size(), isMax ? "max" : "average", (long long)kh,
              (long long)kw);
  return 0;
}

int gen(std::map<std::string, std::string> &opt) {
  if (opt["kind"] == "add")
    return genAdd(opt);
  if (opt["kind"] == "maxpool" || opt["kind"] == "avgpool")
    return genPool(opt);
  auto get = [&](const char *k, const char *def) -> std::string {
    auto it = opt.find(k);
    return it == opt.end() ? std::string(def) : it->second;
  };
  auto geti = [&](const char *k, const char *def) {
    return std::stoll(get(k, def));
  };
  std::string kind = get("kind", "");
  std::string out = get("out", "");
  if (out.empty())
    die("gen needs --out=PREFIX");
  Rng rng(uint64_t(geti("seed", "1")));
  std::string act = get("act", "none");
  int32_t zIn = int32_t(geti("in-zp", "0"));
  // --in-unsigned / --out-unsigned: uint8 storage [0, 255] instead of int8;
  // --in-bits=16 / --out-bits=16: int16 [-32767, 32767].
  Storage inSt = getStorage(opt, "in"), outSt = getStorage(opt, "out");
  int32_t inLo = inSt.lo(), inHi = inSt.hi();
  int32_t outLo = outSt.lo(), outHi = outSt.hi();
  double outScaleMul = std::stod(get("out-scale-mul", "1"));
  double wScaleMin = std::stod(get("wscale-min", "1e-4"));
  double wScaleMax = std::stod(get("wscale-max", "1"));
  if (zIn < inLo || zIn > inHi)
    die("--in-zp out of range");

  bool isMatmul = kind == "matmul";
  int64_t n = 1, h = 1, w = 1, c, o, kh = 1, kw = 1, groups = 1;
  std::vector<int64_t> stride = {1, 1}, pad = {0, 0, 0, 0}, dil = {1, 1};
  int64_t m = 1, k = 1;
  if (isMatmul) {
    m = geti("m", "1");
    k = geti("k", "1");
    o = geti("nout", "1");
    c = k;
  } else if (kind == "conv" || kind == "dwconv") {
    n = geti("n", "1"), h = geti("h", "1"), w = geti("w", "1");
    c = geti("c", "1");
    kh = geti("kh", "1"), kw = geti("kw", "1");
    stride = parseList(get("stride", "1,1"), 2);
    pad = parseList(get("pad", "0,0,0,0"), 4);
    dil = parseList(get("dilation", "1,1"), 2);
    if (kind == "dwconv") {
      groups = c;
      o = c * geti("mult", "1");
    } else {
      groups = geti("groups", "1");
      o = geti("o", "1");
    }
    if (c % groups || o % groups)
      die("channels not divisible by groups");
  } else {
    die("--kind must be conv, dwconv or matmul");
  }
  int64_t cg = c / groups, og = o / groups;
  int64_t oh = 1, ow = 1;
  if (!isMatmul) {
    oh = (h + pad[0] + pad[1] - dil[0] * (kh - 1) - 1) / stride[0] + 1;
    ow = (w + pad[2] + pad[3] - dil[1] * (kw - 1) - 1) / stride[1] + 1;
    if (oh < 1 || ow < 1)
      die("empty output");
  }
  int64_t red = kh * kw * cg; // reduction length per output

  // Input: int8 values with a real scale.
  double sIn = std::pow(10.0, rng.uniform(-2.5, -0.5));
  int64_t inCount = isMatmul ? m * k : n * h * w * c;
  // --sparse: mostly real zeros with a few +-1 steps, so that accumulators
  // stay small and multipliers >= 1 give results inside the int8 range.
  bool sparse = get("sparse", "0") == "1";
  std::vector<int32_t> qIn(inCount);
  for (auto &q : qIn)
    q = sparse ? std::min(inHi, std::max(inLo, zIn + (rng.uniform() < 0.1
                                                          ? rng.intIn(-1, 1)
                                                          : 0)))
               : rng.intIn(inLo, inHi);

  // Float weights whose per-channel scales spread log-uniformly over
  // [wscale-min, wscale-max]; quantized symmetric narrow range, or with
  // --weight-bits=4 to [-8, 7] (scale max|w| / 7), --weight-bits=2 to the
  // ternary [-1, 1].
  int weightBits = std::stoi(get("weight-bits", "8"));
  int32_t wMax = weightBits == 4 ? 7 : weightBits == 2 ? 1 : 127;
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
    double typical =
        sparse ? sB[oc] * 4.0
               : sB[oc] * (inSt.bits == 16 ? 16384.0 : 64.0) *
                     std::sqrt(double(red)) * 8.0;
    bF[oc] = float(rng.uniform(-1.0, 1.0) * typical);
    double q = std::nearbyint(double(bF[oc]) / sB[oc]);
    qB[oc] = int32_t(std::min(std::max(q, -2147483648.0), 2147483647.0));
  }

  // --correlated=1 (matmul): the first row takes the sign of the first
  // channel's weights at full scale, so that channel's accumulator reaches
  // max|q_in| * sum|q_w| (beyond int32 for int16 inputs and long K).
  if (get("correlated", "0") == "1") {
    if (!isMatmul)
      die("--correlated needs --kind=matmul");
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
          int64_t idx = isMatmul ? b * o + oc : ((b * oh + y) * ow + x) * o + oc;
          if (a < -(int64_t(1) << 62) || a > (int64_t(1) << 62))
            die("accumulator beyond 2^62 in the reference");
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
    Multiplier mm = encode(mReal);
    mMin = std::min(mMin, mReal), mMax = std::max(mMax, mReal);
    leftShifted += mm.shift > 0;
    int64_t r = applyMultiplierWide(acc[idx], mm) + zOut;
    maxAcc = std::max(maxAcc, std::abs(acc[idx]));
    saturated += r < qLo || r > qHi;
    outSt.append(expected, std::min<int64_t>(std::max<int64_t>(r, qLo), qHi));
    floatOut[idx] = float(yF[idx]);
  }
  std::printf("%s: %lld outputs, reduction %lld, multipliers %.3g..%.3g "
              "(%lld outputs with a left shift), %lld clamped, max "
              "|acc| %.3g\n",
              out.c_str(), (long long)outCount, (long long)red, mMin, mMax,
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
  std::vector<int64_t> inShape = isMatmul ? std::vector<int64_t>{m, k}
                                          : std::vector<int64_t>{n, h, w, c};
  std::vector<int64_t> wShape = isMatmul ? std::vector<int64_t>{o, k}
                                         : std::vector<int64_t>{o, kh, kw, cg};
  std::vector<int64_t> outShape = isMatmul
                                      ? std::vector<int64_t>{m, o}
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

  std::ofstream mlir(out + ".mlir");
  mlir << "// Generated by intq-e2e-ref gen --kind=" << kind << "\n";
  mlir << "func.func @kernel(%in: " << tIn << ") -> " << tOut << " {\n";
  mlir << "  %w = intq.qconst dense<" << hexData(qW) << "> : tensor<"
       << shapeStr(wShape) << "i8> -> " << tW << "\n";
  mlir << "  %b = intq.qconst dense<" << hexData(qB) << "> : tensor<" << o
       << "xi32> -> " << tB << "\n";
  if (isMatmul) {
    mlir << "  %r = intq.matmul %in, %w, %b {" << (clamp.empty() ? "" : clamp.substr(2))
         << "} : (" << tIn << ", " << tW << ", " << tB << ") -> " << tOut << "\n";
  } else {
    mlir << "  %r = intq.conv2d %in, %w, %b {stride = array<i64: " << stride[0]
         << ", " << stride[1] << ">, pad = array<i64: " << pad[0] << ", "
         << pad[1] << ", " << pad[2] << ", " << pad[3]
         << ">, dilation = array<i64: " << dil[0] << ", " << dil[1]
         << ">, groups = " << groups << " : i64" << clamp << "} : (" << tIn
         << ", " << tW << ", " << tB << ") -> " << tOut << "\n";
  }
  mlir << "  return %r : " << tOut << "\n}\n";
  if (!mlir)
    die("cannot write " + out + ".mlir");

  std::vector<uint8_t> inBytes;
  for (int32_t q : qIn)
    inSt.append(inBytes, q);
  writeFile(out + ".in.bin", inBytes);
  writeFile(out + ".expected.bin", expected);
  writeFile(out + ".float.bin", floatOut);
  std::ofstream meta(out + ".meta");
  meta.precision(17);
  meta << inCount << " " << outCount << " " << sOut << " " << zOut << " "
       << (outSt.isUnsigned ? 1 : 0) << " " << outSt.bits << "\n";
  return 0;
}

//===----------------------------------------------------------------------===//
// check
//===----------------------------------------------------------------------===//

int check(std::map<std::string, std::string> &opt) {
  std::string prefix = opt["prefix"], actualPath = opt["actual"];
  if (prefix.empty() || actualPath.empty())
    die("check needs --prefix and --actual");
  double minSqnr = opt.count("min-sqnr") ? std::stod(opt["min-sqnr"]) : 25.0;
  std::ifstream meta(prefix + ".meta");
  int64_t inCount, outCount;
  double sOut;
  int32_t zOut;
  Storage outSt;
  if (!(meta >> inCount >> outCount >> sOut >> zOut >> outSt.isUnsigned >>
        outSt.bits))
    die("cannot read " + prefix + ".meta");
  auto expected = readFile<uint8_t>(prefix + ".expected.bin");
  auto actual = readFile<uint8_t>(actualPath);
  auto ref = readFile<float>(prefix + ".float.bin");
  int64_t outBytes = outCount * (outSt.bits / 8);
  if (int64_t(actual.size()) != outBytes ||
      int64_t(expected.size()) != outBytes) {
    std::printf("FAIL %s: %zu output bytes, expected %lld\n", prefix.c_str(),
                actual.size(), (long long)outBytes);
    return 1;
  }
  int64_t mismatches = 0;
  for (int64_t i = 0; i < outCount; ++i) {
    int32_t e = outSt.decode(expected, i), a = outSt.decode(actual, i);
    if (a != e) {
      if (mismatches < 8)
        std::printf("  mismatch at %lld: expected %d, got %d\n", (long long)i,
                    e, a);
      ++mismatches;
    }
  }
  double sig = 0, err = 0;
  for (int64_t i = 0; i < outCount; ++i) {
    int32_t q = outSt.decode(actual, i);
    double y = double(q - zOut) * sOut;
    sig += double(ref[i]) * ref[i];
    err += (y - ref[i]) * (y - ref[i]);
  }
  double sqnr = err == 0 ? 200.0 : 10.0 * std::log10(sig / err);
  if (mismatches) {
    std::printf("FAIL %s: %lld of %lld elements differ from the reference\n",
                prefix.c_str(), (long long)mismatches, (long long)outCount);
    return 1;
  }
  if (sqnr < minSqnr) {
    std::printf("FAIL %s: bit-exact, but SQNR %.2f dB < %.2f dB\n",
                prefix.c_str(), sqnr, minSqnr);
    return 1;
  }
  std::printf("PASS %s: bit-exact %lld elements, SQNR %.2f dB\n",
              prefix.c_str(), (long long)outCount, sqnr);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    die("usage: intq-e2e-ref gen|check --key=value...");
  std::map<std::string, std::string> opt;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || a.find('=') == std::string::npos)
      die("bad argument '" + a + "' (expected --key=value)");
    opt[a.substr(2, a.find('=') - 2)] = a.substr(a.find('=') + 1);
  }
  std::string cmd = argv[1];
  if (cmd == "gen")
    return gen(opt);
  if (cmd == "check")
    return check(opt);
  die("unknown command '" + cmd + "'");
}
