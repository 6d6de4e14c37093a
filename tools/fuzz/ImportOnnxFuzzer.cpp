//===- ImportOnnxFuzzer.cpp - libFuzzer target over the ONNX importer -----===//
//
// Feeds arbitrary bytes to intq::importOnnxModel. Any crash, sanitizer
// report, or a failure without a diagnostic is a bug. Built with
// -fsanitize=fuzzer,address,undefined; run for a bounded time by the tests
// (test/Import/fuzz-importer.test), seeded with the importer's test models.
//
//===----------------------------------------------------------------------===//

#include "intq/Import/OnnxImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *ctx = [] {
    auto *c = new mlir::MLIRContext();
    c->loadDialect<mlir::func::FuncDialect, mlir::tosa::TosaDialect>();
    return c;
  }();
  bool diagnosed = false;
  mlir::ScopedDiagnosticHandler handler(ctx, [&](mlir::Diagnostic &d) {
    if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
      diagnosed = true;
    return mlir::success();
  });
  intq::OnnxImportOptions options;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto module = intq::importOnnxModel(llvm::MemoryBufferRef(bytes, "fuzz"),
                                      ctx, options);
  // Failing without saying why is a bug too.
  if (!module && !diagnosed)
    std::abort();
  return 0;
}
