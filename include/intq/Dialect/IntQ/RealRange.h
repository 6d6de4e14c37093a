//===- RealRange.h - closed real intervals ----------------------*- C++ -*-===//
//
// The value type of range propagation: a closed interval [lo, hi] of real
// values (finite bounds), with the interval arithmetic the op models need.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_DIALECT_INTQ_REALRANGE_H
#define INTQ_DIALECT_INTQ_REALRANGE_H

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

namespace intq {

struct RealRange {
  double lo = 0, hi = 0;

  static RealRange hull(const RealRange &a, const RealRange &b) {
    return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
  }
  bool operator==(const RealRange &o) const {
    return lo == o.lo && hi == o.hi;
  }
  bool isFinite() const { return std::isfinite(lo) && std::isfinite(hi); }
  void print(llvm::raw_ostream &os) const {
    os << "[" << lo << ", " << hi << "]";
  }
};

} // namespace intq

#endif // INTQ_DIALECT_INTQ_REALRANGE_H
