#include "alerting/subscription.h"

#include <gtest/gtest.h>

#include "logs/query.h"

namespace maas::alerting {
namespace {

using nlohmann::json;

Subscription parsed(json body) {
  body["name"] = "n";
  if (!body.contains("email")) body["webhook"] = {{"url", "http://127.0.0.1:1/h"}};
  auto s = parse_subscription(body);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : Subscription{};
}

bool matches(const Subscription& s, const logs::LabelSet& labels, const std::string& line) {
  std::vector<std::pair<std::string, std::string>> fields;
  return s.matcher.log.matches_stream(labels) && logs::LinePipeline(s.matcher.log).keep(line, labels, &fields);
}

const logs::LabelSet kEvents = *logs::LabelSet::make({{"job", "maasd"}, {"kind", "event"}});

TEST(Subscription, LogQueriesMatchBySelectorAndLineFilters) {
  Subscription s = parsed({{"source", "logs"}, {"query", R"({app="shop"} |= "error" !~ "ign.re")"}});
  auto shop = *logs::LabelSet::make({{"app", "shop"}});
  EXPECT_TRUE(matches(s, shop, "an error"));
  EXPECT_FALSE(matches(s, shop, "an error to ignore"));
  EXPECT_FALSE(matches(s, shop, "fine"));
  EXPECT_FALSE(matches(s, *logs::LabelSet::make({{"app", "other"}}), "an error"));
}

TEST(Subscription, EventFiltersMatchModelServiceAndKind) {
  Subscription s = parsed({{"source", "events"}, {"filter", {{"model", "iris"}, {"events", {"loaded", "crashed"}}}}});
  EXPECT_TRUE(matches(s, kEvents, R"({"event": "crashed", "model": "iris", "version": "1"})"));
  EXPECT_FALSE(matches(s, kEvents, R"({"event": "unloaded", "model": "iris"})"));
  EXPECT_FALSE(matches(s, kEvents, R"({"event": "loaded", "model": "other"})"));
  EXPECT_FALSE(matches(s, *logs::LabelSet::make({{"job", "maasd"}, {"kind", "request"}}), R"({"event": "loaded", "model": "iris"})"));
  // A maasd stream another maasd pushed here (logs.accept_maasd_pushes) is not this maasd's event.
  EXPECT_FALSE(matches(s, *logs::LabelSet::make({{"job", "maasd"}, {"kind", "event"}, {"pushed_by", "k1"}}),
                       R"({"event": "crashed", "model": "iris", "version": "1"})"));
  Subscription any = parsed({{"source", "events"}});
  EXPECT_TRUE(matches(any, kEvents, R"({"event": "alert_firing"})"));
  Subscription service = parsed({{"source", "events"}, {"filter", {{"service", "chat"}}}});
  EXPECT_TRUE(matches(service, kEvents, R"({"event": "scaled", "service": "chat"})"));
  EXPECT_FALSE(matches(service, kEvents, R"({"event": "scaled", "service": "other"})"));
}

TEST(Subscription, RendersLineLabelsTimeAndJsonFields) {
  Subscription s = parsed({{"source", "logs"},
                           {"query", R"({app="shop"})"},
                           {"template", "{{ .subscription }} {{ .labels.app }} {{ .labels.none }}|{{ .time }} {{ .ts }} "
                                        "{{ .msg }} {{ .count }} {{ .missing }}|{{ .labels }}"}});
  auto labels = *logs::LabelSet::make({{"app", "shop"}});
  EXPECT_EQ(render_message(s, labels, 1'700'000'000'123'000'000, R"({"msg": "hi", "count": 3})"),
            "n shop |2023-11-14T22:13:20.123Z 1700000000123000000 hi 3 |" + labels.text());
  EXPECT_EQ(render_message(s, labels, 0, "not json").find("|1970"), 7u);
}

TEST(Subscription, RoundTripsThroughItsStoredShape) {
  Subscription s = parsed({{"source", "events"},
                           {"filter", {{"events", {"alert_firing"}}}},
                           {"email", {{"to", "a@b.c"}, {"smarthost", "h:25"}}},
                           {"min_interval_s", 2.5}});
  s.id = "sub_1";
  s.created_by = "admin";
  auto again = parse_subscription(subscription_json(s), /*stored=*/true);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(subscription_json(*again), subscription_json(s));
  EXPECT_EQ(again->min_interval_ms, 2500);
  EXPECT_EQ(again->email->from, "maas@localhost");
  // The API does not take the server's fields.
  EXPECT_FALSE(parse_subscription(subscription_json(s)).ok());
}

TEST(Subscription, RefusesWhatWouldInjectOrRun) {
  json base = {{"name", "n"}, {"source", "logs"}, {"query", R"({a="b"})"}};
  auto error = [&](json change) {
    json body = base;
    body.update(change);
    if (!body.contains("email")) body["webhook"] = {{"url", "http://h/x"}};
    auto s = parse_subscription(body);
    return s.ok() ? std::string() : s.status().message();
  };
  EXPECT_NE(error({{"email", {{"to", "a@b\r\nBcc: c@d"}, {"smarthost", "h:25"}}}, {"webhook", nullptr}}).find("email.to"),
            std::string::npos);
  EXPECT_NE(error({{"template", "{{ system \"x\" }}"}}).find("template"), std::string::npos);
  EXPECT_NE(error({{"query", std::string(kMaxSubscriptionQueryBytes + 1, 'x')}}).find("query"), std::string::npos);
  EXPECT_NE(error({{"source", "events"}, {"query", nullptr}, {"filter", {{"events", {".*"}}}}}).find("filter.events"),
            std::string::npos);
}

}  // namespace
}  // namespace maas::alerting
