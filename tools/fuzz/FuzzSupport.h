//===- FuzzSupport.h - shared pieces of the libFuzzer targets --*- C++ -*-===//
//
// What intq-codegen-fuzzer and intq-ptq-fuzzer share: the dialect registry
// and pass registration every case starts from, a context per case that
// collects its diagnostics, buffers fenced by PROT_NONE pages that the
// JIT-compiled code runs on, and the failure report (a message, the line
// that reproduces the case, then abort so that libFuzzer keeps the input).
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_TOOLS_FUZZ_FUZZSUPPORT_H
#define INTQ_TOOLS_FUZZ_FUZZSUPPORT_H

#include "intq/Target/Jit.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace intq::fuzz {

/// True when the environment variable is set to anything but "" or "0".
bool envFlag(const char *name);

/// Registers every intq and upstream pass (the pipelines name them) and
/// builds the registry below: for LLVMFuzzerInitialize.
void initialize();

/// Every intq and upstream dialect, with the JIT's LLVM IR translations.
mlir::DialectRegistry &registry();

/// A fresh context for one case (nothing carries over from one input to
/// the next, and uniqued weight constants do not pile up), collecting its
/// diagnostics instead of printing them.
class CaseContext {
public:
  CaseContext();
  mlir::MLIRContext ctx;
  /// Every diagnostic so far, one an indented line with its location.
  std::string diagnostics;
  /// The error diagnostics among them.
  std::string errors;

private:
  mlir::ScopedDiagnosticHandler handler;
};

/// `size` bytes placed right before (atEnd) or right after a PROT_NONE page,
/// so that the compiled code faults on any access past the end (or before
/// the start).
class GuardedBuffer {
public:
  GuardedBuffer(size_t size, bool atEnd);
  ~GuardedBuffer();
  GuardedBuffer(const GuardedBuffer &) = delete;
  GuardedBuffer &operator=(const GuardedBuffer &) = delete;

  /// Read-only from now on (inputs).
  void freeze();

  uint8_t *data;
  size_t size;

private:
  uint8_t *base;
  size_t mapped;
};

/// Kernels a case is compiled with: the host's, generic, plain loops
/// ("none", when `withNone`) or, on x86, x86-amx: on the tile unit where
/// the host has AMX-INT8 (INTQ_FUZZ_EMULATE_AMX=1 keeps the emulation, to
/// replay a case found on a host without AMX as it ran there), else with
/// its tile ops emulated (no AMX hardware needed; tiling, packing and
/// epilogue are the real ones).
/// On an x86-64 without AVX512-VNNI, whose own kernels are the generic
/// ones, "the host's" are the x86-avx512vnni kernels with their dot
/// products emulated, and the emulated x86-amx ones emulate them too.
/// `pick` is consumed from the fuzzer's bytes.
struct Kernels {
  std::string name; // CodegenPipelineOptions::kernels
  bool emulateAmx = false;
  bool emulateVnni = false;

  /// The name and what is emulated, for reproducers.
  std::string describe() const;
  /// Sets `codegen`'s kernels, emulation and the host's AVX512-VBMI.
  void apply(CodegenPipelineOptions &codegen) const;
};
Kernels pickKernels(int pick, bool withNone);
/// How many values pickKernels distinguishes.
inline int numKernelChoices(bool withNone) { return withNone ? 4 : 3; }

/// Bytes per element of a JitModel argument or result type.
size_t elementBytes(mlir::Type type);

/// Runs `jit` once on guarded buffers: each input copied into a read-only
/// buffer, each output prefilled with `fill`; all of them end at a guard
/// page (atEnd) or start after one. Returns the outputs' bytes, or failure
/// when the call fails.
mlir::FailureOr<std::vector<std::vector<uint8_t>>>
runGuarded(JitModel &jit, const std::vector<std::vector<uint8_t>> &inputs,
           bool atEnd, uint8_t fill);

/// "i, j, k": the multi-index of row-major element `flat` of `shape`.
std::string formatIndex(llvm::ArrayRef<int64_t> shape, int64_t flat);

/// Prints "==<tool>== <what>" and "  case: <reproducer>" on stderr, then
/// aborts (libFuzzer saves the input).
[[noreturn]] void reportFailure(const char *tool, const std::string &what,
                                const std::string &reproducer);

} // namespace intq::fuzz

#endif // INTQ_TOOLS_FUZZ_FUZZSUPPORT_H
