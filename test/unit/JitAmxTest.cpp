//===- JitAmxTest.cpp - JIT-compiled x86-amx kernels on the tile unit -----===//
//
// The JIT does not pick x86-amx for itself (intq::hostKernels), but asked
// for it the kernels run on the tile unit: the compiled module's
// initializer asks Linux for the tile state, and the ExecutionEngine runs
// it (without that request the first tile instruction would fault). Where
// the host has AMX-INT8 (intq::hostHasAmx), an int8 matmul on the tile
// unit must give the same bytes as the generic kernels; elsewhere the test
// is skipped.
//
//===----------------------------------------------------------------------===//

#include "intq/InitAll.h"
#include "intq/Passes/Pipelines.h"
#include "intq/Target/Compile.h"
#include "intq/Target/Jit.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using namespace mlir;

namespace {

constexpr int64_t kM = 64, kK = 128, kN = 96;

/// Deterministic integers in [lo, hi].
std::vector<int> pseudoRandom(size_t n, uint32_t seed, int lo, int hi) {
  std::vector<int> v(n);
  for (int &x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = lo + int((seed >> 8) % uint32_t(hi - lo + 1));
  }
  return v;
}

/// kM x kK by kN x kK (two blocks of 32 rows, three panels of 32 channels,
/// two 64-byte K steps: AMX reads the matrix in place) with per-tensor
/// int8 weights and a ReLU.
std::string matmulModule() {
  std::vector<int> w = pseudoRandom(kN * kK, 7, -127, 127);
  std::string rows;
  for (int64_t n = 0; n < kN; ++n) {
    rows += n ? ", [" : "[";
    for (int64_t k = 0; k < kK; ++k)
      rows += (k ? ", " : "") + std::to_string(w[n * kK + k]);
    rows += "]";
  }
  return "!qa = !quant.uniform<i8:f32, 0.02:-7>\n"
         "!qw = !quant.uniform<i8<-127:127>:f32, 0.01>\n"
         "!qo = !quant.uniform<i8:f32, 0.05:3>\n"
         "func.func @mm(%x: tensor<64x128x!qa>) -> tensor<64x96x!qo> {\n"
         "  %w = intq.qconst dense<[" +
         rows +
         "]> : tensor<96x128xi8> -> tensor<96x128x!qw>\n"
         "  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : "
         "(tensor<64x128x!qa>, tensor<96x128x!qw>) -> tensor<64x96x!qo>\n"
         "  return %r : tensor<64x96x!qo>\n"
         "}\n";
}

/// The matmul compiled with `kernels` and run on `x`: its int8 output.
std::vector<int8_t> run(MLIRContext &ctx, const std::string &kernels,
                        std::vector<int8_t> x) {
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(matmulModule(), &ctx);
  EXPECT_TRUE(module);
  if (!module)
    return {};
  intq::CodegenPipelineOptions codegen;
  codegen.kernels = kernels;
  auto jit = intq::jitCompile(*module, /*ptq=*/false, "", codegen);
  EXPECT_TRUE(succeeded(jit)) << kernels;
  if (failed(jit))
    return {};
  std::vector<int8_t> y(kM * kN, 0);
  EXPECT_TRUE(succeeded(jit->runBuffers({x.data()}, {y.data()}))) << kernels;
  return y;
}

} // namespace

TEST(JitAmxTest, TileUnitMatchesGenericKernels) {
  if (!intq::hostHasAmx())
    GTEST_SKIP() << "no AMX-INT8 on this host";
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // The codegen pipeline is built from registered passes.
  intq::registerAllIntQPasses();
  DialectRegistry registry;
  intq::registerAllIntQDialects(registry);
  intq::initializeCompiler(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  std::vector<int8_t> x;
  for (int v : pseudoRandom(kM * kK, 11, -128, 127))
    x.push_back(int8_t(v));
  std::vector<int8_t> amx = run(ctx, "x86-amx", x);
  std::vector<int8_t> generic = run(ctx, "generic", x);
  ASSERT_EQ(amx.size(), size_t(kM * kN));
  EXPECT_EQ(amx, generic);
  // The ReLU and the zero point 3 leave outputs in [3, 127]: a run that
  // wrote nothing (all zeros) cannot pass.
  EXPECT_NE(std::count(generic.begin(), generic.end(), int8_t(3)),
            int64_t(generic.size()));
}
