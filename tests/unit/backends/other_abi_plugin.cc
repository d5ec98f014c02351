// A backend plugin built for another ABI version than this tree's: the loader must refuse it (plugin_test.cc).
#include "backends/plugin.h"

extern "C" __attribute__((visibility("default"))) int maas_backend_plugin(int, const maas::backends::BackendPlugin**) {
  return 999;
}
