// Which destinations maasd's outbound calls (webhooks, Alertmanager, e-mail relays) may reach: a deny list with
// allow-list exceptions, checked when a destination is configured (its host as written) and again at send time
// on every address its name resolved to, so a name that resolves to a denied address is refused too.
//
// Immutable after make(): share one policy between threads freely.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "common/status.h"

namespace maas {

class OutboundPolicy {
 public:
  // Link-local addresses (the cloud metadata service lives at 169.254.169.254), the unspecified addresses, the
  // metadata addresses and names the clouds use outside link-local. Loopback and private ranges are allowed:
  // test receivers and on-premises relays live there.
  static const std::vector<std::string>& default_deny();

  // Each rule is a CIDR ("169.254.0.0/16", "fe80::/10"), an address (its /32 or /128) or a host name (matched
  // whole, without regard to case). A destination is refused when it matches `deny` and not `allow`: deny
  // "0.0.0.0/0,::/0" with an allow list admits only what the allow list names. INVALID_ARGUMENT naming a
  // malformed rule.
  static Result<OutboundPolicy> make(const std::vector<std::string>& deny, const std::vector<std::string>& allow);
  OutboundPolicy() = default;  // allows everything

  // When a destination is configured: `host` as written in the URL (a name, an address, "[v6]"). An address, in
  // any form the resolver reads as one ("2852039166" is 169.254.169.254), is judged now; a name only by name, and
  // by its addresses when it is resolved at send time. PERMISSION_DENIED naming the rule.
  Status check_host(std::string_view host) const;
  // At send time, for each address `host` resolved to. PERMISSION_DENIED naming the rule.
  Status check_resolved(std::string_view host, const boost::asio::ip::address& address) const;

 private:
  struct Cidr {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};
    int prefix = 0;
    std::string text;
  };
  struct Rules {
    std::vector<Cidr> networks;
    std::vector<std::string> names;
  };
  static Result<Rules> parse_rules(const std::vector<std::string>& rules, const char* setting);
  Status check(const std::string& name, const std::optional<boost::asio::ip::address>& address) const;

  Rules deny_, allow_;
};

}  // namespace maas
