//===- IntQBase.td - intq dialect definition ------------*- tablegen -*-===//

#ifndef INTQ_DIALECT_INTQ_INTQBASE_TD
#define INTQ_DIALECT_INTQ_INTQBASE_TD

include "mlir/IR/OpBase.td"

def IntQ_Dialect : Dialect {
  let name = "intq";
  let cppNamespace = "::intq";
  let summary = "Integer-quantized neural network operations";
  let description = [{
    The `intq` dialect holds the quantized form of a neural network (level Q
    in docs/Design.md): compute ops whose operands and results are tensors of
    upstream `!quant.uniform` element types, with verifiers that check the
    scale algebra (bias scale = input scale x weight scale, per output
    channel), plus the float-level annotation op `intq.stats`.

    Quantized values follow the affine mapping `r = S (q - Z)`. Activations
    are per-tensor; weights may be per output channel (quantized axis 0);
    biases are i32 with zero point 0.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
}

class IntQ_Op<string mnemonic, list<Trait> traits = []>
    : Op<IntQ_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def IntQ_UniformQuantizedType : Type<
    CPred<"::llvm::isa<::mlir::quant::UniformQuantizedType, "
          "::mlir::quant::UniformQuantizedPerAxisType>($_self)">,
    "uniform quantized type (per tensor or per axis)">;

def IntQ_QTensor : RankedTensorOf<[IntQ_UniformQuantizedType]>;

#endif // INTQ_DIALECT_INTQ_INTQBASE_TD
