/*===- intq-c/IntQ.h - C API: the intq dialect and passes ---------*- C -*-===*\
|*                                                                            *|
|* The intq dialect for the upstream MLIR C API (mlir-c/IR.h, mlir-c/Pass.h), *|
|* in the style of mlir-c/Dialect/Quant.h: a dialect handle, a registry hook  *|
|* that adds everything intq's inputs and pipelines use, and pass             *|
|* registration so that mlirParsePassPipeline and                             *|
|* mlirOpPassManagerAddPipeline know the intq-* passes and pipelines. The     *|
|* library is build/lib/libIntQ-C.so, which also carries the upstream C API   *|
|* (see docs/capi.md).                                                        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef INTQ_C_INTQ_H
#define INTQ_C_INTQ_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The intq dialect alone: `mlirGetDialectHandle__intq__()`, to use with
 * mlirDialectHandleInsertDialect / mlirDialectHandleLoadDialect /
 * mlirDialectHandleGetNamespace. Its IR also needs the quant, TOSA, func and
 * tensor dialects: intqRegisterAllDialects adds all of them. */
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(IntQ, intq);

/* Appends to `registry` what intq-opt and intq-compile register: the intq
 * dialect, every upstream dialect and extension (with the interface models
 * intq's passes rely on), and the translations of the builtin and LLVM
 * dialects to LLVM IR. A context created from this registry can parse any
 * intq input, run every intq pass and pipeline, and be compiled with
 * intqCompileModule. Registering twice does nothing. */
MLIR_CAPI_EXPORTED void intqRegisterAllDialects(MlirDialectRegistry registry);

/* Registers intq's passes and pipelines (intq-fold-batchnorm,
 * intq-calibrate, ..., intq-ptq-pipeline, intq-codegen-pipeline,
 * intq-compile-pipeline) in the global pass registry, with the upstream
 * passes that the pipelines are built from (intq-codegen-pipeline names
 * tosa-to-linalg, one-shot-bufferize, ... textually, so they must be
 * registered too). Then mlirParsePassPipeline and
 * mlirOpPassManagerAddPipeline accept them. Idempotent and thread-safe.
 * Calling mlirRegisterAllPasses as well is harmless with Debian's MLIR (a
 * release build; an MLIR built with assertions aborts when a pipeline is
 * registered twice). */
MLIR_CAPI_EXPORTED void intqRegisterPasses(void);

#ifdef __cplusplus
}
#endif

#endif /* INTQ_C_INTQ_H */
