//===- intq-e2e-ref.cpp - independent oracle for the end-to-end sweep -----===//
//
// Generates a quantized conv2d / depthwise / grouped conv / matmul case as
// intq MLIR plus its inputs, computes the expected int8 output with an
// independent implementation of the arithmetic contract built on gemmlowp's
// fixedpoint.h, and checks a compiled kernel's output against it (bit for
// bit) and against the float model (SQNR).
//
// It deliberately shares no code with intq (no intq or MLIR headers). The
// generator and the reference are the E2ERef library (E2ERef.h), which
// intq-codegen-fuzzer links too; this file is the command line and the
// files.
//
//   intq-e2e-ref gen --kind=conv|dwconv|matmul <shape options> --out=PREFIX
//   intq-e2e-ref check --prefix=PREFIX --actual=FILE [--min-sqnr=DB]
//
//===----------------------------------------------------------------------===//

#include "E2ERef.h"

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

using e2eref::Storage;

namespace {

using Options = std::map<std::string, std::string>;

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "intq-e2e-ref: %s\n", msg.c_str());
  std::exit(2);
}

/// --PREFIX-bits=8|16 and --PREFIX-unsigned=0|1.
Storage getStorage(Options &opt, const std::string &prefix) {
  Storage st;
  auto bits = opt.find(prefix + "-bits");
  st.bits = bits == opt.end() ? 8 : std::stoi(bits->second);
  auto u = opt.find(prefix + "-unsigned");
  st.isUnsigned = u != opt.end() && u->second == "1";
  if (!st.valid())
    die("--" + prefix + "-bits must be 8, or 16 (signed)");
  return st;
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

template <size_t N> std::array<int64_t, N> parseList(const std::string &s) {
  std::vector<int64_t> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    v.push_back(std::stoll(item));
  if (v.size() != N)
    die("expected " + std::to_string(N) + " values in '" + s + "'");
  std::array<int64_t, N> a;
  std::copy(v.begin(), v.end(), a.begin());
  return a;
}

//===----------------------------------------------------------------------===//
// gen
//===----------------------------------------------------------------------===//

/// PREFIX.mlir, PREFIX.in.bin, PREFIX.expected.bin, PREFIX.float.bin and
/// PREFIX.meta (input count, output count, output scale and zero point,
/// output unsigned, output bits).
void writeCase(const std::string &out, const e2eref::Case &c) {
  std::ofstream mlir(out + ".mlir");
  mlir << c.mlir;
  if (!mlir)
    die("cannot write " + out + ".mlir");
  writeFile(out + ".in.bin", c.input);
  writeFile(out + ".expected.bin", c.expected);
  writeFile(out + ".float.bin", c.floatOut);
  std::ofstream meta(out + ".meta");
  meta.precision(17);
  meta << c.inCount << " " << c.outCount << " " << c.outScale << " " << c.outZp
       << " " << (c.outStorage.isUnsigned ? 1 : 0) << " " << c.outStorage.bits
       << "\n";
}

int gen(Options &opt) {
  auto get = [&](const char *k, const char *def) -> std::string {
    auto it = opt.find(k);
    return it == opt.end() ? std::string(def) : it->second;
  };
  auto geti = [&](const char *k, const char *def) {
    return std::stoll(get(k, def));
  };
  std::string kind = get("kind", "");
  std::string out = get("out", "");
  e2eref::Case result;
  // The generator's verdict: the case written to --out, or why there is none.
  auto finish = [&](const std::string &err) {
    if (!err.empty())
      die(err);
    writeCase(out, result);
    std::printf("%s: %s\n", out.c_str(), result.summary.c_str());
    return 0;
  };
  if (kind == "add") {
    e2eref::AddSpec spec;
    spec.seed = uint64_t(geti("seed", "1"));
    spec.n = geti("n", "1"), spec.h = geti("h", "1"), spec.w = geti("w", "1"),
    spec.c = geti("c", "1");
    spec.in = getStorage(opt, "in"), spec.out = getStorage(opt, "out");
    spec.act = get("act", "none");
    spec.scaleRatio = std::stod(get("scale-ratio", "3.7"));
    spec.inZp = int32_t(geti("in-zp", "0"));
    spec.inZpB = int32_t(geti("in-zp-b", "0"));
    spec.outScaleMul = std::stod(get("out-scale-mul", "1"));
    return finish(e2eref::generate(spec, result));
  }
  if (kind == "maxpool" || kind == "avgpool") {
    e2eref::PoolSpec spec;
    spec.isMax = kind == "maxpool";
    spec.seed = uint64_t(geti("seed", "1"));
    spec.n = geti("n", "1"), spec.h = geti("h", "1"), spec.w = geti("w", "1"),
    spec.c = geti("c", "1");
    spec.kh = geti("kh", "2"), spec.kw = geti("kw", "2");
    spec.stride = parseList<2>(get("stride", "1,1"));
    spec.pad = parseList<4>(get("pad", "0,0,0,0"));
    spec.in = getStorage(opt, "in");
    spec.inZp = int32_t(geti("in-zp", "0"));
    return finish(e2eref::generate(spec, result));
  }

  if (out.empty())
    die("gen needs --out=PREFIX");
  e2eref::GemmSpec spec;
  spec.kind = kind;
  spec.seed = uint64_t(geti("seed", "1"));
  spec.act = get("act", "none");
  spec.inZp = int32_t(geti("in-zp", "0"));
  // --in-unsigned / --out-unsigned: uint8 storage [0, 255] instead of int8;
  // --in-bits=16 / --out-bits=16: int16 [-32767, 32767].
  spec.in = getStorage(opt, "in"), spec.out = getStorage(opt, "out");
  spec.outScaleMul = std::stod(get("out-scale-mul", "1"));
  spec.wScaleMin = std::stod(get("wscale-min", "1e-4"));
  spec.wScaleMax = std::stod(get("wscale-max", "1"));
  if (spec.inZp < spec.in.lo() || spec.inZp > spec.in.hi())
    die("--in-zp out of range");
  if (kind == "matmul") {
    spec.m = geti("m", "1");
    spec.k = geti("k", "1");
    spec.nout = geti("nout", "1");
  } else if (kind == "conv" || kind == "dwconv") {
    spec.n = geti("n", "1"), spec.h = geti("h", "1"), spec.w = geti("w", "1");
    spec.c = geti("c", "1");
    spec.kh = geti("kh", "1"), spec.kw = geti("kw", "1");
    spec.stride = parseList<2>(get("stride", "1,1"));
    spec.pad = parseList<4>(get("pad", "0,0,0,0"));
    spec.dilation = parseList<2>(get("dilation", "1,1"));
    if (kind == "dwconv") {
      spec.mult = geti("mult", "1");
    } else {
      spec.groups = geti("groups", "1");
      spec.o = geti("o", "1");
    }
  }
  // --sparse: mostly real zeros with a few +-1 steps, so that accumulators
  // stay small and multipliers >= 1 give results inside the int8 range.
  spec.sparse = get("sparse", "0") == "1";
  // --weight-bits=7: [-63, 63]; 4: [-8, 7] (scale max|w| / 7); 2: the
  // ternary [-1, 1].
  spec.weightBits = std::stoi(get("weight-bits", "8"));
  // --correlated=1 (matmul): the first row at full scale with the sign of
  // the first channel's weights.
  spec.correlated = get("correlated", "0") == "1";
  // --rounding=single: TOSA's SINGLE_ROUND output stage instead of gemmlowp's.
  spec.rounding = get("rounding", "double");
  if (spec.rounding != "double" && spec.rounding != "single")
    die("--rounding must be double or single");
  return finish(e2eref::generate(spec, result));
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
