//===- IntQBase.td - intq dialect definition ------------*- tablegen -*-===//

#ifndef INTQ_DIALECT_INTQ_INTQBASE_TD
#define INTQ_DIALECT_INTQ_INTQBASE_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
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
  let useDefaultAttributePrinterParser = 1;
}

class IntQ_Op<string mnemonic, list<Trait> traits = []>
    : Op<IntQ_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def IntQ_RoundingDouble : I32EnumAttrCase<"Double", 0, "double">;
def IntQ_RoundingSingle : I32EnumAttrCase<"Single", 1, "single">;

def IntQ_Rounding : I32EnumAttr<"Rounding",
    "rounding of the fixed-point requantization",
    [IntQ_RoundingDouble, IntQ_RoundingSingle]> {
  let cppNamespace = "::intq";
  let genSpecializedAttr = 0;
}

def IntQ_RoundingAttr : EnumAttr<IntQ_Dialect, IntQ_Rounding, "rounding"> {
  let summary = "rounding of the output stage: `double` (gemmlowp) or "
                "`single` (TOSA SINGLE_ROUND)";
  let description = [{
    How a conv / matmul output stage applies its multiplier
    M = M0 * 2^(shift - 31) to the int32 accumulator
    (docs/ArithmeticContract.md):

    - `double` (the default): gemmlowp / TFLite, a saturating rounding
      doubling high multiply by M0 then a rounding right shift, each
      rounding half away from zero.
    - `single`: TOSA's `SINGLE_ROUND`, one rounding of the exact product,
      `floor((acc * M0 + 2^(s - 1)) / 2^s)` with `s = 31 - shift`, half
      rounded up. Cheaper to vectorize (no second rounding step).

    ```mlir
    %r = intq.matmul %a, %w, %b {rounding = #intq.rounding<single>} : ...
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def IntQ_UniformQuantizedType : Type<
    CPred<"::llvm::isa<::mlir::quant::UniformQuantizedType, "
          "::mlir::quant::UniformQuantizedPerAxisType>($_self)">,
    "uniform quantized type (per tensor or per axis)">;

def IntQ_QTensor : RankedTensorOf<[IntQ_UniformQuantizedType]>;

#endif // INTQ_DIALECT_INTQ_INTQBASE_TD
