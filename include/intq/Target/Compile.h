//===- Compile.h - MLIR to object code for x86-64 and AArch64 ---*- C++ -*-===//
//
// The back end of intq-compile as a library: run the codegen pipeline,
// translate to LLVM IR, optimize, and emit an object with LLVM's
// TargetMachine in process. Also generates the C header that declares the
// compiled entry points.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_TARGET_COMPILE_H
#define INTQ_TARGET_COMPILE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace intq {

enum class EmitKind { Object, Assembly, LLVMIR, MLIR };

struct CompileOptions {
  /// "x86_64" or "aarch64" (a full triple is accepted too).
  std::string target = "x86_64";
  /// LLVM CPU name ("generic", "sapphirerapids", "neoverse-v1", "native"...).
  std::string cpu = "generic";
  /// LLVM feature string, e.g. "+avx512vnni,+avx512bw" or "+dotprod,+i8mm".
  std::string features;
  unsigned optLevel = 3;
  /// Run the PTQ pipeline (float + annotations -> quantized) first.
  bool ptq = false;
  /// Options of the PTQ pipeline (intq-ptq-pipeline's syntax, e.g.
  /// "weight-bits=4 rounding=single"); used with `ptq`.
  std::string ptqOptions;
  /// Matmul kernels (--intq-codegen): "auto" (x86-amx, x86-avx512vnni,
  /// x86-avx2, aarch64-i8mm or aarch64-dotprod when the CPU has it, else
  /// generic; x86-amx takes the VNNI kernels for reductions K < 33),
  /// "none" (plain linalg loops), "generic", "x86-avx2", "x86-avx512vnni",
  /// "x86-amx",
  /// "aarch64-dotprod", "aarch64-i8mm".
  std::string kernels = "auto";
  /// With kernels "x86-amx": run the tile ops as portable loops instead of
  /// AMX instructions (to test the AMX kernels on machines without AMX).
  bool emulateAmx = false;
  /// With kernels "x86-avx512vnni" or "x86-amx": run the VNNI dot products
  /// as portable vector arithmetic (to test the x86 kernels on CPUs
  /// without AVX512-VNNI).
  bool emulateVnni = false;
  /// Public functions take their workspace as a last argument
  /// (`void *workspace`, 64-byte aligned, `<name>_workspace_size()` bytes)
  /// instead of allocating it on every call.
  bool callerWorkspace = false;
  EmitKind emit = EmitKind::Object;
};

/// Registers the LLVM targets and the MLIR-to-LLVM-IR translations once.
void initializeCompiler(mlir::DialectRegistry &registry);

/// Lowers `module` in place and writes the requested output to `os`.
/// Emits diagnostics on the module's context and fails on error.
mlir::LogicalResult compileModule(mlir::ModuleOp module,
                                  const CompileOptions &options,
                                  llvm::raw_pwrite_stream &os);

/// Returns a C header declaring every public function of `module` (which
/// must not be lowered yet) with the bare-pointer ABI that compileModule
/// produces: `void name(const T *in0, ..., T *out0, ...)`, with
/// `callerWorkspace` (CompileOptions::callerWorkspace) a last `void
/// *workspace` and `int64_t name_workspace_size(void)`. Fails with a
/// diagnostic for signatures that cannot be expressed.
mlir::FailureOr<std::string> generateHeader(mlir::ModuleOp module,
                                            llvm::StringRef guardName,
                                            bool callerWorkspace = false);

} // namespace intq

#endif // INTQ_TARGET_COMPILE_H
