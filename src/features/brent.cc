#include "features/brent.h"

#include <cmath>
#include <utility>

namespace maas::features {
namespace {

struct Bracket {
  double xa, xb, xc, fa, fb, fc;
};

// scipy.optimize.bracket(func, xa, xb, grow_limit=110.0, maxiter=1000).
Result<Bracket> bracket(const std::function<double(double)>& func, double xa, double xb) {
  constexpr double kGold = 1.618034, kVerySmall = 1e-21, kGrowLimit = 110.0;
  constexpr int kMaxIter = 1000;
  double fa = func(xa), fb = func(xb);
  if (fa < fb) std::swap(xa, xb), std::swap(fa, fb);
  double xc = xb + kGold * (xb - xa);
  double fc = func(xc);
  int iter = 0;
  while (fc < fb) {
    const double tmp1 = (xb - xa) * (fb - fc);
    const double tmp2 = (xb - xc) * (fb - fa);
    const double val = tmp2 - tmp1;
    const double denom = std::fabs(val) < kVerySmall ? 2.0 * kVerySmall : 2.0 * val;
    double w = xb - ((xb - xc) * tmp2 - (xb - xa) * tmp1) / denom;
    const double wlim = xb + kGrowLimit * (xc - xb);
    if (iter > kMaxIter) return invalid_argument("no bracket of the minimum in 1000 steps");
    ++iter;
    double fw;
    if ((w - xc) * (xb - w) > 0.0) {
      fw = func(w);
      if (fw < fc) return Bracket{xb, w, xc, fb, fw, fc};
      if (fw > fb) return Bracket{xa, xb, w, fa, fb, fw};
      w = xc + kGold * (xc - xb);
      fw = func(w);
    } else if ((w - wlim) * (wlim - xc) >= 0.0) {
      w = wlim;
      fw = func(w);
    } else if ((w - wlim) * (xc - w) > 0.0) {
      fw = func(w);
      if (fw < fc) {
        xb = xc;
        xc = w;
        w = xc + kGold * (xc - xb);
        fb = fc;
        fc = fw;
        fw = func(w);
      }
    } else {
      w = xc + kGold * (xc - xb);
      fw = func(w);
    }
    xa = xb;
    xb = xc;
    xc = w;
    fa = fb;
    fb = fc;
    fc = fw;
  }
  return Bracket{xa, xb, xc, fa, fb, fc};
}

}  // namespace

Result<double> brent_minimize(const std::function<double(double)>& func, double xa_start, double xb_start) {
  constexpr double kTol = 1.48e-8, kMinTol = 1.0e-11, kCg = 0.3819660;
  constexpr int kMaxIter = 500;
  MAAS_ASSIGN_OR_RETURN(const Bracket br, bracket(func, xa_start, xb_start));
  double x = br.xb, w = br.xb, v = br.xb;
  double fx = br.fb, fw = br.fb, fv = br.fb;
  double a = br.xa < br.xc ? br.xa : br.xc;
  double b = br.xa < br.xc ? br.xc : br.xa;
  double deltax = 0.0, rat = 0.0;
  for (int iter = 0; iter < kMaxIter; ++iter) {
    const double tol1 = kTol * std::fabs(x) + kMinTol;
    const double tol2 = 2.0 * tol1;
    const double xmid = 0.5 * (a + b);
    if (std::fabs(x - xmid) < (tol2 - 0.5 * (b - a))) break;
    if (std::fabs(deltax) <= tol1) {
      deltax = x >= xmid ? a - x : b - x;  // a golden section step
      rat = kCg * deltax;
    } else {  // a parabolic step
      const double tmp1 = (x - w) * (fx - fv);
      double tmp2 = (x - v) * (fx - fw);
      double p = (x - v) * tmp2 - (x - w) * tmp1;
      tmp2 = 2.0 * (tmp2 - tmp1);
      if (tmp2 > 0.0) p = -p;
      tmp2 = std::fabs(tmp2);
      const double dx_temp = deltax;
      deltax = rat;
      if (p > tmp2 * (a - x) && p < tmp2 * (b - x) && std::fabs(p) < std::fabs(0.5 * tmp2 * dx_temp)) {
        rat = p * 1.0 / tmp2;
        const double u = x + rat;
        if ((u - a) < tol2 || (b - u) < tol2) rat = xmid - x >= 0 ? tol1 : -tol1;
      } else {
        deltax = x >= xmid ? a - x : b - x;
        rat = kCg * deltax;
      }
    }
    const double u = std::fabs(rat) < tol1 ? (rat >= 0 ? x + tol1 : x - tol1) : x + rat;
    const double fu = func(u);
    if (fu > fx) {
      if (u < x)
        a = u;
      else
        b = u;
      if (fu <= fw || w == x) {
        v = w;
        w = u;
        fv = fw;
        fw = fu;
      } else if (fu <= fv || v == x || v == w) {
        v = u;
        fv = fu;
      }
    } else {
      if (u >= x)
        a = x;
      else
        b = x;
      v = w;
      w = x;
      x = u;
      fv = fw;
      fw = fx;
      fx = fu;
    }
  }
  if (std::isnan(x) || std::isnan(fx)) return invalid_argument("the likelihood is not a number for any lambda");
  return x;
}

}  // namespace maas::features
