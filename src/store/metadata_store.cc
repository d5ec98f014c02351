#include "store/metadata_store.h"

namespace maas::store {

bool is_allowed_transition(std::string_view from, std::string_view to) {
  if (from == kStateRegistered) return to == kStateReady || to == kStateRetired;
  if (from == kStateReady) return to == kStateRetired;
  if (from == kStateRetired) return to == kStateReady;
  return false;
}

}  // namespace maas::store
