// The services components share, by type: a component that owns one (the registry, the model manager, the log
// center) provides it in start(); components that start later get it. Envoy's singleton manager, at the scale
// of a dozen components.
//
// Threading: provide() only during start-up, on the main thread; find() and get() from any thread afterwards.
// Lifetime: a provided object belongs to its component and lives until that component is destroyed.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <map>
#include <typeindex>
#include <typeinfo>

namespace maas::server {

class Services {
 public:
  // Publishes `service` under its type T; one of each type.
  template <class T>
  void provide(T& service) {
    auto [it, inserted] = services_.emplace(std::type_index(typeid(T)), &service);
    if (!inserted) fail("provided twice", typeid(T).name());
  }
  // The service of type T, or null when no component provides it (an optional collaborator).
  template <class T>
  T* find() const {
    auto it = services_.find(std::type_index(typeid(T)));
    return it == services_.end() ? nullptr : static_cast<T*>(it->second);
  }
  // The service of type T. A component that needs one is listed after its provider: a missing service is a
  // mistake in server/main.cc's order, found at the first start, never at run time.
  template <class T>
  T& get() const {
    T* service = find<T>();
    if (service == nullptr)
      fail("requested before any component provides it (see the order in server/main.cc)", typeid(T).name());
    return *service;
  }

 private:
  [[noreturn]] static void fail(const char* what, const char* type) {
    std::fprintf(stderr, "maasd: service %s %s\n", type, what);
    std::abort();
  }

  std::map<std::type_index, void*> services_;
};

}  // namespace maas::server
