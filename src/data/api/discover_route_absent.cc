// Stands in for discover_route.cc in a build without data/discovery: no route.
#include "data/api/routes.h"

namespace maas::data::api {

void add_discover_route(http::Router&, DataApi&) {}

}  // namespace maas::data::api
