//===- IntQInterfaces.td - intq op interfaces ---------------*- tablegen -*-===//

#ifndef INTQ_DIALECT_INTQ_INTQINTERFACES_TD
#define INTQ_DIALECT_INTQ_INTQINTERFACES_TD

include "mlir/IR/OpBase.td"

def IntQ_RealRangeOpInterface : OpInterface<"RealRangeOpInterface"> {
  let description = [{
    How an op's result range follows from its operands' ranges, for
    `--intq-propagate-ranges`. An op joins range propagation by implementing
    this interface (intq ops natively, upstream TOSA ops through external
    models registered with the intq dialects), not by editing the analysis.
  }];
  let cppNamespace = "::intq";
  let methods = [
    InterfaceMethod<[{
        The real range of result 0 given the ranges of the operands, each
        std::nullopt when unknown; std::nullopt when it cannot be bounded.
      }],
      "std::optional<::intq::RealRange>", "inferRealRange",
      (ins "::llvm::ArrayRef<std::optional<::intq::RealRange>>":$operands)>,
    InterfaceMethod<[{
        Whether result 0 only moves or selects values of its activation
        operands (reshape, transpose, max pooling, slicing, concatenation):
        it then keeps their quantization scale, so that no requantization is
        needed.
      }],
      "bool", "preservesScale", (ins), [{}], [{ return false; }]>,
  ];
}

#endif // INTQ_DIALECT_INTQ_INTQINTERFACES_TD
