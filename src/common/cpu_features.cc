#include "common/cpu_features.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace maas {

bool cpu_has_amx() {
#if defined(__x86_64__)
  static const bool kHas = [] {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    constexpr unsigned kAmxTile = 1u << 24;  // CPUID.(EAX=7,ECX=0):EDX
    return __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (edx & kAmxTile) != 0;
  }();
  return kHas;
#else
  return false;
#endif
}

}  // namespace maas
