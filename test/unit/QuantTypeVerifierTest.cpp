//===- QuantTypeVerifierTest.cpp - intq's checks of quantized types -------===//
//
// NaN and infinite scales cannot be written in MLIR's textual quant syntax,
// but a frontend or pass can build them through the C++ API (MLIR's
// type verifiers are off in Debian's release build). intq's verifier must
// reject them, with a message naming the value.
//
//===----------------------------------------------------------------------===//

#include "intq/Dialect/IntQ/IntQ.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

using namespace mlir;
namespace q = mlir::quant;

namespace {

class QuantTypeVerifier : public ::testing::Test {
protected:
  QuantTypeVerifier() {
    ctx.loadDialect<intq::IntQDialect>();
    handler = std::make_unique<ScopedDiagnosticHandler>(
        &ctx, [this](Diagnostic &d) {
          message = d.str();
          return success();
        });
  }

  Type perTensor(double scale, int64_t zp) {
    return RankedTensorType::get(
        {4}, q::UniformQuantizedType::get(q::QuantizationFlags::Signed,
                                          IntegerType::get(&ctx, 8),
                                          Float32Type::get(&ctx), scale, zp,
                                          -128, 127));
  }

  Type perAxis(ArrayRef<double> scales, ArrayRef<int64_t> zps) {
    return RankedTensorType::get(
        {(int64_t)scales.size()},
        q::UniformQuantizedPerAxisType::get(
            q::QuantizationFlags::Signed, IntegerType::get(&ctx, 8),
            Float32Type::get(&ctx), scales, zps, 0, -127, 127));
  }

  LogicalResult check(Type t) {
    message.clear();
    return intq::verifyQuantizedType(t, "input", [this]() {
      return emitError(UnknownLoc::get(&ctx));
    });
  }

  MLIRContext ctx;
  std::unique_ptr<ScopedDiagnosticHandler> handler;
  std::string message;
};

TEST_F(QuantTypeVerifier, AcceptsValidTypes) {
  EXPECT_TRUE(succeeded(check(perTensor(0.5, -128))));
  EXPECT_TRUE(succeeded(check(perAxis({0.5, 1e-4}, {0, 0}))));
  EXPECT_TRUE(message.empty());
}

TEST_F(QuantTypeVerifier, RejectsNaNScale) {
  EXPECT_TRUE(failed(check(perTensor(std::nan(""), 0))));
  EXPECT_NE(message.find("input scale nan must be positive and finite"),
            std::string::npos)
      << message;
}

TEST_F(QuantTypeVerifier, RejectsInfiniteScale) {
  EXPECT_TRUE(failed(check(perTensor(INFINITY, 0))));
  EXPECT_NE(message.find("must be positive and finite"), std::string::npos)
      << message;
}

TEST_F(QuantTypeVerifier, RejectsNonPositiveScale) {
  EXPECT_TRUE(failed(check(perTensor(0.0, 0))));
  EXPECT_TRUE(failed(check(perTensor(-0.25, 0))));
  EXPECT_NE(message.find("must be positive and finite"), std::string::npos)
      << message;
}

TEST_F(QuantTypeVerifier, RejectsPerChannelNaNWithTheChannel) {
  EXPECT_TRUE(failed(check(perAxis({0.5, std::nan("")}, {0, 0}))));
  EXPECT_NE(message.find("(channel 1)"), std::string::npos) << message;
}

TEST_F(QuantTypeVerifier, RejectsZeroPointOutsideStorage) {
  EXPECT_TRUE(failed(check(perTensor(0.5, 128))));
  EXPECT_NE(message.find("zero point 128 is outside the storage range "
                         "[-128, 127]"),
            std::string::npos)
      << message;
  EXPECT_TRUE(failed(check(perAxis({0.5, 0.5}, {0, -128}))));
  EXPECT_NE(message.find("zero point -128 (channel 1) is outside the storage "
                         "range [-127, 127]"),
            std::string::npos)
      << message;
}

TEST_F(QuantTypeVerifier, RejectsNonQuantizedTypes) {
  EXPECT_TRUE(failed(check(RankedTensorType::get({4}, Float32Type::get(&ctx)))));
  EXPECT_NE(message.find("must have a quantized element type"),
            std::string::npos)
      << message;
}

} // namespace
