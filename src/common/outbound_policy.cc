#include "common/outbound_policy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace maas {
namespace {

using boost::asio::ip::address;

// "[fe80::1]" -> "fe80::1", "Hooks.Example.COM." -> "hooks.example.com".
std::string normalize_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string out(host);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// An address as the resolver would read it: strict notation, or IPv4 in the forms inet_aton also accepts
// ("2852039166", "0xa9fea9fe", "169.254.43518"), which getaddrinfo resolves without asking DNS.
std::optional<address> parse_address(const std::string& text) {
  boost::system::error_code ec;
  address a = boost::asio::ip::make_address(text, ec);
  if (!ec) return a;
  if (text.empty() || text.find_first_not_of("0123456789abcdefx.") != std::string::npos) return std::nullopt;
  in_addr in{};
  if (::inet_aton(text.c_str(), &in) == 0) return std::nullopt;
  return address(boost::asio::ip::address_v4(ntohl(in.s_addr)));
}

// The address and, for an IPv6 address that carries an IPv4 one (::ffff:a.b.c.d, NAT64's 64:ff9b::a.b.c.d),
// that IPv4 address too: either may be what the packets reach.
std::vector<address> forms_of(const address& a) {
  std::vector<address> out{a};
  if (!a.is_v6()) return out;
  auto v6 = a.to_v6();
  auto b = v6.to_bytes();
  static constexpr uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (v6.is_v4_mapped() || std::equal(b.begin(), b.begin() + 12, kNat64)) {
    out.emplace_back(boost::asio::ip::address_v4({b[12], b[13], b[14], b[15]}));
  }
  return out;
}

bool valid_host_name(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
  });
}

}  // namespace

const std::vector<std::string>& OutboundPolicy::default_deny() {
  static const std::vector<std::string> kDeny = {
      "169.254.0.0/16", "fe80::/10",                        // link-local: AWS, GCP, Azure, OCI metadata
      "0.0.0.0/8",      "::/128",                           // "this host": reaches local services
      "100.100.100.200/32", "fd00:ec2::254/128",            // Alibaba's metadata, AWS's over IPv6
      "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"};
  return kDeny;
}

Result<OutboundPolicy::Rules> OutboundPolicy::parse_rules(const std::vector<std::string>& rules, const char* setting) {
  Rules out;
  for (const auto& raw : rules) {
    std::string rule = normalize_host(raw);
    size_t slash = rule.find('/');
    auto a = parse_address(rule.substr(0, slash));
    if (!a) {
      if (slash != std::string::npos || !valid_host_name(rule)) {
        return invalid_argument(std::string(setting) + ": '" + raw + "' is not a CIDR, an address or a host name");
      }
      out.names.push_back(rule);
      continue;
    }
    Cidr c;
    c.v6 = a->is_v6();
    int bits = c.v6 ? 128 : 32;
    if (c.v6) {
      auto b = a->to_v6().to_bytes();
      std::copy(b.begin(), b.end(), c.bytes.begin());
    } else {
      auto b = a->to_v4().to_bytes();
      std::copy(b.begin(), b.end(), c.bytes.begin());
    }
    c.prefix = bits;
    if (slash != std::string::npos) {
      std::string_view p = std::string_view(rule).substr(slash + 1);
      auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), c.prefix);
      if (ec != std::errc() || ptr != p.data() + p.size() || p.empty() || c.prefix < 0 || c.prefix > bits) {
        return invalid_argument(std::string(setting) + ": '" + raw + "' has a prefix length outside 0-" +
                                std::to_string(bits));
      }
    }
    c.text = raw;
    out.networks.push_back(std::move(c));
  }
  return out;
}

Result<OutboundPolicy> OutboundPolicy::make(const std::vector<std::string>& deny, const std::vector<std::string>& allow) {
  OutboundPolicy p;
  MAAS_ASSIGN_OR_RETURN(p.deny_, parse_rules(deny, "outbound.deny"));
  MAAS_ASSIGN_OR_RETURN(p.allow_, parse_rules(allow, "outbound.allow"));
  return p;
}

namespace {

template <typename Cidr>
bool contains(const Cidr& net, const address& a) {
  if (net.v6 != a.is_v6()) return false;
  std::array<uint8_t, 16> bytes{};
  if (a.is_v6()) {
    auto b = a.to_v6().to_bytes();
    std::copy(b.begin(), b.end(), bytes.begin());
  } else {
    auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), bytes.begin());
  }
  int full = net.prefix / 8, rest = net.prefix % 8;
  if (!std::equal(bytes.begin(), bytes.begin() + full, net.bytes.begin())) return false;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (bytes[static_cast<size_t>(full)] & mask) == (net.bytes[static_cast<size_t>(full)] & mask);
}

}  // namespace

Status OutboundPolicy::check(const std::string& name, const std::optional<address>& resolved) const {
  std::vector<address> forms = resolved ? forms_of(*resolved) : std::vector<address>{};
  auto named = [&name](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  if (named(allow_.names)) return {};
  for (const auto& a : forms) {
    for (const auto& net : allow_.networks) {
      if (contains(net, a)) return {};
    }
  }
  std::string what = name;
  if (resolved && resolved->to_string() != name) what += " (" + resolved->to_string() + ")";
  auto refuse = [&what](const std::string& rule) {
    return permission_denied(what + " is refused by the outbound policy (outbound.deny: " + rule +
                             "); outbound.allow makes exceptions");
  };
  if (named(deny_.names)) return refuse(name);
  for (const auto& a : forms) {
    for (const auto& net : deny_.networks) {
      if (contains(net, a)) return refuse(net.text);
    }
  }
  return {};
}

Status OutboundPolicy::check_host(std::string_view host) const {
  std::string name = normalize_host(host);
  return check(name, parse_address(name));
}

Status OutboundPolicy::check_resolved(std::string_view host, const address& a) const {
  return check(normalize_host(host), a);
}

}  // namespace maas
