// RUN: intq-opt %s -split-input-file --intq-materialize-results | FileCheck %s
// RUN: intq-opt %s -split-input-file --intq-codegen-pipeline | FileCheck %s --check-prefix=LLVM

// Returned arguments, repeated results and returned constants get their own
// tensors, so that every result becomes an output parameter.
// CHECK-LABEL: func.func @alias
// CHECK: %[[E1:.+]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[C1:.+]] = linalg.copy ins(%arg0 : tensor<4xf32>) outs(%[[E1]] : tensor<4xf32>)
// CHECK: %[[E2:.+]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[C2:.+]] = linalg.copy ins(%arg0 : tensor<4xf32>) outs(%[[E2]] : tensor<4xf32>)
// CHECK: return %[[C1]], %[[C2]]
// LLVM: llvm.func @alias(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
func.func @alias(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  return %a, %a : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @fresh
// CHECK-NOT: linalg.copy
func.func @fresh(%a: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.add ins(%a, %a : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
