//===- FuzzSupport.cpp - shared pieces of intq's libFuzzer targets --------===//

#include "FuzzSupport.h"

#include "intq/InitAll.h"
#include "intq/Target/Compile.h"

#include "llvm/Support/raw_ostream.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

/// The fuzzers' code is instrumented, libMLIR.so is not. LLVM's
/// BumpPtrAllocator poisons a new slab from inline code in an instrumented
/// translation unit (the storage of intq's own attributes is allocated
/// there) and unpoisons each allocation; libMLIR's uninstrumented
/// allocations from the same slab are never unpoisoned, so its writes
/// report use-after-poison (seen with #intq.rounding, found by this fuzzer).
/// Manual poisoning is therefore off; heap, stack and the guarded kernel
/// buffers are still checked.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

using namespace mlir;

namespace intq::fuzz {

bool envFlag(const char *name) {
  const char *v = std::getenv(name);
  return v && *v && std::strcmp(v, "0") != 0;
}

DialectRegistry &registry() {
  static DialectRegistry *r = [] {
    auto *reg = new DialectRegistry();
    registerAllIntQDialects(*reg);
    initializeCompiler(*reg);
    return reg;
  }();
  return *r;
}

void initialize() {
  // The pipelines name upstream passes too; intq-calibrate is among them.
  registerAllIntQPasses();
  (void)registry();
}

CaseContext::CaseContext()
    : ctx(registry(), MLIRContext::Threading::DISABLED),
      handler(&ctx, [this](Diagnostic &d) {
        std::string line;
        llvm::raw_string_ostream os(line);
        os << "  " << d.getLocation() << ": " << d << "\n";
        diagnostics += line;
        if (d.getSeverity() == DiagnosticSeverity::Error)
          errors += line;
        return success();
      }) {}

GuardedBuffer::GuardedBuffer(size_t size, bool atEnd) : size(size) {
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  size_t dataPages = (std::max<size_t>(size, 1) + page - 1) / page;
  mapped = (dataPages + 2) * page;
  void *p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    std::perror("mmap");
    std::abort();
  }
  base = static_cast<uint8_t *>(p);
  mprotect(base, page, PROT_NONE);
  mprotect(base + (dataPages + 1) * page, page, PROT_NONE);
  data = atEnd ? base + (dataPages + 1) * page - size : base + page;
}

GuardedBuffer::~GuardedBuffer() { munmap(base, mapped); }

void GuardedBuffer::freeze() {
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  mprotect(base + page, mapped - 2 * page, PROT_READ);
}

/// True where the AMX kernels run on the tile unit itself: the host has
/// AMX-INT8 and INTQ_FUZZ_EMULATE_AMX is not set. (The compiled kernels
/// ask Linux for the tile state in their module's initializer, which the
/// JIT runs.)
static bool amxHardware() {
  static const bool usable =
      hostHasAmx() && !envFlag("INTQ_FUZZ_EMULATE_AMX");
  return usable;
}

Kernels pickKernels(int pick, bool withNone) {
  static const std::string host = hostKernels();
  if (!withNone && pick >= 2)
    ++pick; // skip "none"
  switch (pick) {
  case 0:
#if defined(__x86_64__)
    if (host == "generic")
      return {"x86-avx512vnni", /*emulateAmx=*/false, /*emulateVnni=*/true};
#endif
    return {host};
  case 1:
    return {"generic"};
  case 2:
    return {"none"};
  default:
#if defined(__x86_64__)
    // The tile unit where the host has one, else its emulation.
    if (amxHardware())
      return {"x86-amx"};
    return {"x86-amx", /*emulateAmx=*/true,
            /*emulateVnni=*/host != "x86-avx512vnni"};
#else
    return {host};
#endif
  }
}

std::string Kernels::describe() const {
  if (name == "x86-amx" && !emulateAmx)
    return name + " (on the tile unit)";
  if (emulateAmx && emulateVnni)
    return name + " (tiles and VNNI dot products emulated)";
  if (emulateAmx)
    return name + " (emulated)";
  if (emulateVnni)
    return name + " (VNNI dot products emulated)";
  return name;
}

void Kernels::apply(CodegenPipelineOptions &codegen) const {
  codegen.kernels = name;
  codegen.emulateAmx = emulateAmx;
  codegen.emulateVnni = emulateVnni;
  codegen.x86Vbmi = hostHasVbmi();
}

size_t elementBytes(Type type) {
  return type.isF32() ? 4 : type.getIntOrFloatBitWidth() / 8;
}

FailureOr<std::vector<std::vector<uint8_t>>>
runGuarded(JitModel &jit, const std::vector<std::vector<uint8_t>> &inputs,
           bool atEnd, uint8_t fill) {
  std::vector<std::unique_ptr<GuardedBuffer>> ins, outs;
  llvm::SmallVector<void *> inPtrs, outPtrs;
  for (const std::vector<uint8_t> &in : inputs) {
    ins.push_back(std::make_unique<GuardedBuffer>(in.size(), atEnd));
    std::memcpy(ins.back()->data, in.data(), in.size());
    ins.back()->freeze();
    inPtrs.push_back(ins.back()->data);
  }
  for (size_t i = 0; i < jit.outputShapes.size(); ++i) {
    size_t bytes = size_t(numElements(jit.outputShapes[i])) *
                   elementBytes(jit.outputTypes[i]);
    outs.push_back(std::make_unique<GuardedBuffer>(bytes, atEnd));
    std::memset(outs.back()->data, fill, bytes);
    outPtrs.push_back(outs.back()->data);
  }
  if (failed(jit.runBuffers(inPtrs, outPtrs)))
    return failure();
  std::vector<std::vector<uint8_t>> result;
  for (const auto &out : outs)
    result.emplace_back(out->data, out->data + out->size);
  return result;
}

std::string formatIndex(llvm::ArrayRef<int64_t> shape, int64_t flat) {
  llvm::SmallVector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;)
    idx[d] = flat % shape[d], flat /= shape[d];
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(idx, os);
  return s;
}

void reportFailure(const char *tool, const std::string &what,
                   const std::string &reproducer) {
  std::string message = llvm::StringRef(what).rtrim('\n').str();
  std::fprintf(stderr, "==%s== %s\n  case: %s\n", tool, message.c_str(),
               reproducer.c_str());
  std::fflush(stderr);
  std::abort();
}

} // namespace intq::fuzz
