// Models calibration cannot run are refused before anything is read or
// compiled, at the function.
// RUN: intq-opt %s -split-input-file --intq-calibrate="raw-input=%t.never-read" -verify-diagnostics

// expected-error @+1 {{calibration supports models with one input, two_inputs has 2}}
func.func @two_inputs(%a: tensor<1x4xf32>, %b: tensor<1x4xf32>) -> tensor<1x4xf32> {
  return %a : tensor<1x4xf32>
}

// -----

// expected-error @+1 {{calibration needs a static f32 tensor input, got 'tensor<?x4xf32>'}}
func.func @dynamic(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %a : tensor<?x4xf32>
}

// -----

// expected-error @+1 {{calibration needs a static f32 tensor input, got 'tensor<1x4xi8>'}}
func.func @integer(%a: tensor<1x4xi8>) -> tensor<1x4xi8> {
  return %a : tensor<1x4xi8>
}
