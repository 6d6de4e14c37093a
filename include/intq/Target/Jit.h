//===- Jit.h - compile and run a model in process ---------------*- C++ -*-===//
//
// Compiles a module with intq's codegen pipeline and LLVM's ORC JIT and runs
// its entry point on float buffers (the same bare-pointer ABI as the objects
// intq-compile writes). Used by intq-run and intq-calibrate.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_TARGET_JIT_H
#define INTQ_TARGET_JIT_H

#include "intq/Passes/Pipelines.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <string>

namespace intq {

struct JitModel {
  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::string name;
  llvm::SmallVector<llvm::SmallVector<int64_t>> inputShapes, outputShapes;
  /// Element types: f32, or the i8 / i16 / i32 storage of integer and
  /// quantized inputs and results.
  llvm::SmallVector<mlir::Type> inputTypes, outputTypes;

  /// Runs the entry point: one buffer per argument, then one per result.
  /// Fails (with a message) unless every argument and result is f32.
  mlir::LogicalResult run(llvm::ArrayRef<float *> inputs,
                          llvm::ArrayRef<float *> outputs);
  /// The same with untyped buffers, each of its element type's size.
  mlir::LogicalResult runBuffers(llvm::ArrayRef<void *> inputs,
                                 llvm::ArrayRef<void *> outputs);
};

/// The --intq-codegen kernels for the host: x86-avx512vnni where it has
/// AVX512-VNNI, x86-avx2 where it has AVX2, aarch64-i8mm where it has the int8 matrix multiply
/// extension, aarch64-dotprod where it has the dot product extension,
/// generic otherwise. The JIT uses them.
std::string hostKernels();

/// True where the host is an x86-64 CPU with AVX512-VBMI (the codegen
/// option x86-vbmi: the JIT compiles for the host). Both read one query of
/// the host CPU's features, made on first use.
bool hostHasVbmi();

/// True where the host is an x86-64 CPU with AMX-INT8 (and AVX512-VNNI,
/// which the x86-amx kernels also use). hostKernels() does not pick
/// x86-amx; asked for, the JIT-compiled kernels run on the tile unit with
/// nothing more to do: the compiled module asks Linux for the tile state
/// (arch_prctl(ARCH_REQ_XCOMP_PERM)) in its initializer, which the
/// ExecutionEngine runs (test/unit/JitAmxTest.cpp).
bool hostHasAmx();

/// Element count of a static shape.
int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// Lowers `module` in place (PTQ first when `ptq`) and JIT-compiles its first
/// public function, whose arguments and results must be static f32, i8, i16
/// or i32 tensors, or quantized tensors with such storage (run on their
/// storage).
/// The caller must have initialized the native target and registered the
/// LLVM IR translations (intq::initializeCompiler).
/// `ptqOptions` (in intq-ptq-pipeline's option syntax, e.g.
/// "weight-bits=4 keep-float=fc") configure the PTQ step. The codegen step
/// uses hostKernels().
mlir::FailureOr<JitModel> jitCompile(mlir::ModuleOp module, bool ptq,
                                     llvm::StringRef ptqOptions = "");

/// The same with the codegen pipeline's options given: any kernels the host
/// can run ("none" for plain linalg loops, "generic", "x86-amx" with
/// emulateAmx, ...).
mlir::FailureOr<JitModel> jitCompile(mlir::ModuleOp module, bool ptq,
                                     llvm::StringRef ptqOptions,
                                     const CodegenPipelineOptions &codegen);

} // namespace intq

#endif // INTQ_TARGET_JIT_H
