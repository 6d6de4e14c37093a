/*===- intq-c/Compile.h - C API: MLIR to object code --------------*- C -*-===*\
|*                                                                            *|
|* intq-compile as a library call: an MLIR module (or a .mlir file) in, an    *|
|* object file (or assembly, LLVM IR, the LLVM dialect) out, in memory or as  *|
|* a file, for x86-64 and AArch64. The same pipeline as intq-compile          *|
|* (intq::compileModule): optional PTQ, intq-codegen-pipeline, LLVM's         *|
|* optimizer and code generator in process.                                   *|
|*                                                                            *|
|* Every call returns an MlirLogicalResult. On failure, `error` (if not       *|
|* NULL) receives the error messages, one per line with their location        *|
|* ("file:line:col: error: ..."), and their notes; with `error` NULL the      *|
|* diagnostics go to the context's handlers (stderr unless the caller         *|
|* attached one). Buffers the library returns are freed with                  *|
|* intqBufferDestroy.                                                         *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef INTQ_C_COMPILE_H
#define INTQ_C_COMPILE_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What to emit (intq-compile --emit=obj|asm|llvm|mlir). */
typedef enum IntQEmitKind {
  IntQEmitObject = 0, /* ELF relocatable object */
  IntQEmitAssembly,   /* assembly text */
  IntQEmitLLVMIR,     /* optimized LLVM IR text */
  IntQEmitMLIR        /* the LLVM dialect after intq-codegen-pipeline */
} IntQEmitKind;

/* Options of one compilation. Start from intqCompileOptionsDefault() and set
 * the fields you need; strings are NUL-terminated and only read during the
 * call; a NULL string means the default. */
typedef struct IntQCompileOptions {
  /* "x86_64" (default), "aarch64", or a full target triple. */
  const char *target;
  /* LLVM CPU name: "generic" (default), "native", "sapphirerapids",
   * "neoverse-v1", ... */
  const char *cpu;
  /* LLVM feature string: "" (default), "+avx512vnni,+avx512bw",
   * "+dotprod,+i8mm", ... */
  const char *features;
  /* Matmul and conv kernels: "auto" (default: x86-amx, x86-avx512vnni,
   * x86-avx2, aarch64-i8mm or aarch64-dotprod when the CPU has it, else
   * generic;
   * with x86-amx, layers with K < 33, under 17 rows or 33 columns or
   * under 2^20 MACs, and depthwise convs, take the VNNI kernels), "none" (plain
   * loops), "generic", "x86-avx2", "x86-avx512vnni", "x86-amx",
   * "aarch64-dotprod",
   * "aarch64-i8mm". */
  const char *kernels;
  /* LLVM optimization level 0-3 (default 3). */
  unsigned optLevel;
  /* Run intq-ptq-pipeline first: float TOSA with intq.stats ranges is
   * quantized before code generation (default false). */
  bool ptq;
  /* With kernels "x86-amx": the tile operations as portable loops (default
   * false). */
  bool emulateAmx;
  /* An IntQEmitKind, default IntQEmitObject. An int, not the enum type:
   * a value outside the enumerators is refused with an error, which C++
   * could not even read from an enum-typed field without undefined
   * behaviour. */
  int emit;
  /* intq-compile --caller-workspace: each entry point takes its transient
   * memory as a last `void *workspace` argument (64-byte aligned,
   * `int64_t <name>_workspace_size(void)` bytes, not used by two calls at
   * once) instead of allocating it on every call (default false). Generate
   * the header with intqGenerateHeaderForOptions and the same options. */
  bool callerWorkspace;
  /* With kernels "x86-avx512vnni" or "x86-amx": the AVX512-VNNI dot
   * products as portable vector arithmetic, for CPUs without them (default
   * false). */
  bool emulateVnni;
} IntQCompileOptions;

/* The defaults above: intq-compile without options. */
MLIR_CAPI_EXPORTED IntQCompileOptions intqCompileOptionsDefault(void);

/* Bytes allocated by the library: `length` bytes at `data`, followed by a
 * NUL (so text can be used as a C string). Empty: {NULL, 0}. */
typedef struct IntQBuffer {
  char *data;
  size_t length;
} IntQBuffer;

/* Frees `buffer->data` and empties `*buffer`. NULL and empty buffers are
 * fine. */
MLIR_CAPI_EXPORTED void intqBufferDestroy(IntQBuffer *buffer);

/* Compiles `module` into `*output` (set to empty first). The module is
 * lowered in place: afterwards it holds the LLVM dialect (call
 * intqGenerateHeader before, if you want the header). Its context needs the
 * dialects of intqRegisterAllDialects; the LLVM IR translations and intq's
 * passes are registered by this call if they are not yet. `options` NULL
 * means intqCompileOptionsDefault(). */
MLIR_CAPI_EXPORTED MlirLogicalResult
intqCompileModule(MlirModule module, const IntQCompileOptions *options,
                  IntQBuffer *output, IntQBuffer *error);

/* intqCompileModule, written to the file `outputPath` ("-" is stdout). The
 * file is only written when compilation succeeds. */
MLIR_CAPI_EXPORTED MlirLogicalResult
intqCompileModuleToFile(MlirModule module, const IntQCompileOptions *options,
                        const char *outputPath, IntQBuffer *error);

/* intq-compile in one call: parses and verifies the MLIR file `inputPath`
 * ("-" is stdin) in a context of its own (intqRegisterAllDialects) and
 * compiles it to `outputPath`. */
MLIR_CAPI_EXPORTED MlirLogicalResult
intqCompileFile(const char *inputPath, const char *outputPath,
                const IntQCompileOptions *options, IntQBuffer *error);

/* The C header declaring the public functions of `module` with the ABI that
 * intqCompileModule produces (intq-compile --header): `void name(const T
 * *in0, ..., T *out0, ...)`. Call it before compiling (the module must not
 * be lowered yet). `guard` is the include guard's name (NULL:
 * "INTQ_MODEL_H"). */
MLIR_CAPI_EXPORTED MlirLogicalResult intqGenerateHeader(MlirModule module,
                                                        const char *guard,
                                                        IntQBuffer *header,
                                                        IntQBuffer *error);

/* intqGenerateHeader for objects compiled with `options` (NULL: the
 * defaults): with callerWorkspace, each function also takes `void
 * *workspace` and `int64_t name_workspace_size(void)` is declared. */
MLIR_CAPI_EXPORTED MlirLogicalResult intqGenerateHeaderForOptions(
    MlirModule module, const char *guard, const IntQCompileOptions *options,
    IntQBuffer *header, IntQBuffer *error);

#ifdef __cplusplus
}
#endif

#endif /* INTQ_C_COMPILE_H */
