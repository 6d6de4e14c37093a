//===- IntQPlugin.cpp - intq as an mlir-opt plugin ------------------------===//
//
// The entry points a stock `mlir-opt` looks up when it loads this library:
//
//   mlir-opt --load-dialect-plugin=IntQPlugin.so \
//            --load-pass-plugin=IntQPlugin.so in.mlir \
//            --pass-pipeline='builtin.module(intq-ptq-pipeline)'
//
// (mlir-opt loads plugins while it parses its command line, after it has
// built its pass flags: plugin passes run through --pass-pipeline, see
// docs/plugin.md.)
//
// Debian's mlir-opt links libMLIR.so dynamically and so does this plugin, so
// both see one copy of MLIR: one pass and pipeline registry, and the same
// TypeIDs for the upstream dialects and types (quant, tosa, ...) that intq's
// passes match on. The host registers the upstream dialects and passes
// already; the plugin adds intq's dialect (with the upstream dialects and
// interface models it relies on) and intq's own passes and pipelines.
//
//===----------------------------------------------------------------------===//

#include "intq/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

/// Registers intq's passes and pipelines once, whichever plugin entry point
/// the host calls first (or both): a pipeline registered twice is an error
/// in an MLIR built with assertions.
static void registerIntQPassesOnce() {
  static const bool registered = [] {
    intq::registerIntQPassesAndPipelines();
    return true;
  }();
  (void)registered;
}

/// Dialect plugin entry point (`--load-dialect-plugin`). It registers the
/// passes too, so that a host given only the dialect plugin can run them in
/// a `--pass-pipeline`.
extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "IntQ", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            intq::registerAllIntQDialects(*registry);
            registerIntQPassesOnce();
          }};
}

/// Pass plugin entry point (`--load-pass-plugin`).
extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "IntQPasses", LLVM_VERSION_STRING,
          [] { registerIntQPassesOnce(); }};
}
