// Verifier errors of the target micro-ops.
// RUN: intq-opt %s -split-input-file -verify-diagnostics

func.func @sqrdmulh_i16(%x: vector<16xi16>) -> vector<16xi16> {
  // expected-error @below {{'intq.aarch64.sqrdmulh' op operand #0 must be vector of 32-bit signless integer values of length 4/8/16}}
  %h = intq.aarch64.sqrdmulh %x, %x : vector<16xi16>
  return %h : vector<16xi16>
}

// -----

func.func @sqrdmulh_length(%x: vector<12xi32>) -> vector<12xi32> {
  // expected-error @below {{'intq.aarch64.sqrdmulh' op operand #0 must be vector of 32-bit signless integer values of length 4/8/16}}
  %h = intq.aarch64.sqrdmulh %x, %x : vector<12xi32>
  return %h : vector<12xi32>
}

// -----

func.func @sqdmulh_i64(%x: vector<4xi64>) -> vector<4xi64> {
  // expected-error @below {{'intq.aarch64.sqdmulh' op operand #0 must be vector of 32-bit signless integer values of length 4/8/16}}
  %h = intq.aarch64.sqdmulh %x, %x : vector<4xi64>
  return %h : vector<4xi64>
}

// -----

func.func @srshl_mismatch(%x: vector<16xi32>, %s: vector<8xi32>) -> vector<16xi32> {
  // expected-error @below {{'intq.aarch64.srshl' op requires the same type for all operands and results}}
  %r = "intq.aarch64.srshl"(%x, %s) : (vector<16xi32>, vector<8xi32>) -> vector<16xi32>
  return %r : vector<16xi32>
}

// -----

func.func @srshl_scalar(%x: i32) -> i32 {
  // expected-error @below {{'intq.aarch64.srshl' op operand #0 must be vector of 32-bit signless integer values of length 4/8/16}}
  %r = "intq.aarch64.srshl"(%x, %x) : (i32, i32) -> i32
  return %r : i32
}

// -----

func.func @vpmaddwd_bytes(%x: vector<32xi8>) -> vector<16xi32> {
  // expected-error @below {{'intq.x86.vpmaddwd' op operand #0 must be vector of 16-bit signless integer values of length 32}}
  %r = "intq.x86.vpmaddwd"(%x, %x) : (vector<32xi8>, vector<32xi8>) -> vector<16xi32>
  return %r : vector<16xi32>
}

// -----

func.func @vpmaddwd_result(%x: vector<32xi16>) -> vector<32xi16> {
  // expected-error @below {{'intq.x86.vpmaddwd' op result #0 must be vector of 32-bit signless integer values of length 16}}
  %r = "intq.x86.vpmaddwd"(%x, %x) : (vector<32xi16>, vector<32xi16>) -> vector<32xi16>
  return %r : vector<32xi16>
}

// -----

func.func @vpmaddubsw_words(%x: vector<32xi16>) -> vector<32xi16> {
  // expected-error @below {{'intq.x86.vpmaddubsw' op operand #0 must be vector of 8-bit signless integer values of length 64}}
  %r = "intq.x86.vpmaddubsw"(%x, %x) : (vector<32xi16>, vector<32xi16>) -> vector<32xi16>
  return %r : vector<32xi16>
}

// -----

func.func @vpmaddubsw_result(%x: vector<64xi8>) -> vector<16xi32> {
  // expected-error @below {{'intq.x86.vpmaddubsw' op result #0 must be vector of 16-bit signless integer values of length 32}}
  %r = "intq.x86.vpmaddubsw"(%x, %x) : (vector<64xi8>, vector<64xi8>) -> vector<16xi32>
  return %r : vector<16xi32>
}

// -----

func.func @pack_bytes_mixed(%a: vector<16xi32>, %b: vector<8xi32>) -> vector<64xi8> {
  // expected-error @below {{'intq.x86.pack_bytes' op operand #1 must be vector of 32-bit signless integer values of length 16}}
  %r = "intq.x86.pack_bytes"(%a, %b, %a, %a) : (vector<16xi32>, vector<8xi32>, vector<16xi32>, vector<16xi32>) -> vector<64xi8>
  return %r : vector<64xi8>
}

// -----

func.func @pack_bytes_result(%a: vector<16xi32>) -> vector<64xi16> {
  // expected-error @below {{'intq.x86.pack_bytes' op result #0 must be vector of 8-bit signless integer values of length 64}}
  %r = "intq.x86.pack_bytes"(%a, %a, %a, %a) : (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) -> vector<64xi16>
  return %r : vector<64xi16>
}
