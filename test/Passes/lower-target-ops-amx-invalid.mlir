// RUN: intq-opt %s -split-input-file -verify-diagnostics --intq-lower-target-ops=emulate-amx=1

// An accumulator with a second use cannot be updated in place: the
// emulation refuses it (the kernels never produce one).
func.func @shared_accumulator(%a: memref<16x64xi8>, %c: memref<16x16xi32>) {
  %c0 = arith.constant 0 : index
  %z = amx.tile_zero : !amx.tile<16x16xi32>
  %ta = amx.tile_load %a[%c0, %c0] : memref<16x64xi8> into !amx.tile<16x64xi8>
  // expected-error @below {{'amx.tile_muli' op cannot be emulated: its accumulator has another use (the emulation accumulates in place)}}
  %n = amx.tile_muli %ta, %ta, %z : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
  amx.tile_store %c[%c0, %c0], %n : memref<16x16xi32>, !amx.tile<16x16xi32>
  amx.tile_store %c[%c0, %c0], %z : memref<16x16xi32>, !amx.tile<16x16xi32>
  return
}

// -----

// A tile load with an explicit stride (the kernels never emit one) is not
// emulated.
func.func @strided_load(%a: memref<1024xi8>, %c: memref<16x16xi32>, %s: index) {
  %c0 = arith.constant 0 : index
  %z = amx.tile_zero : !amx.tile<16x16xi32>
  // expected-error @below {{failed to legalize operation 'amx.tile_load'}}
  %ta = amx.tile_load %a[%c0], %s : memref<1024xi8> into !amx.tile<16x64xi8>
  %n = amx.tile_muli %ta, %ta, %z : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
  amx.tile_store %c[%c0, %c0], %n : memref<16x16xi32>, !amx.tile<16x16xi32>
  return
}
