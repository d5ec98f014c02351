#include "logs/loki_push.h"

#include <zlib.h>

#include <gtest/gtest.h>

namespace maas::logs {
namespace {

std::string gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(LokiPush, DecodesStreamsAndEntries) {
  auto r = decode_loki_push(
      R"({"streams":[{"stream":{"job":"x","level":"info"},"values":[["1700000000000000000","a"],["1700000000000000001","b",{"trace":"t"}]]}]})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].labels.text(), R"({job="x", level="info"})");
  ASSERT_EQ((*r)[0].entries.size(), 2u);
  EXPECT_EQ((*r)[0].entries[1].ts_ns, 1700000000000000001);
  EXPECT_EQ((*r)[0].entries[1].line, "b");
}

TEST(LokiPush, NamesWhatIsWrong) {
  EXPECT_NE(decode_loki_push("[]").status().message().find("not a JSON object"), std::string::npos);
  auto bad_ts = decode_loki_push(R"({"streams":[{"stream":{"a":"b"},"values":[["soon","x"]]}]})");
  EXPECT_NE(bad_ts.status().message().find("streams[0].values[0]"), std::string::npos);
  auto bad_label = decode_loki_push(R"({"streams":[{"stream":{"1a":"b"},"values":[]}]})");
  EXPECT_NE(bad_label.status().message().find("invalid label name"), std::string::npos);
  EXPECT_FALSE(decode_loki_push(R"({"streams":[{"stream":{},"values":[["1","x"]]}]})").ok());
}

TEST(LokiPush, GunzipIsBounded) {
  std::string body(100000, 'x');
  auto z = gzip(body);
  auto ok = gunzip(z, 1 << 20);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, body);
  EXPECT_EQ(gunzip(z, 1000).status().code(), StatusCode::kPayloadTooLarge);
  EXPECT_EQ(gunzip(z.substr(0, z.size() / 2), 1 << 20).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(gunzip("not gzip", 1 << 20).status().code(), StatusCode::kInvalidArgument);
}

std::vector<StreamBatch> batches(std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, int64_t>> in) {
  std::vector<StreamBatch> out;
  for (auto& [labels, ts] : in) out.push_back({*LabelSet::make(labels), {{ts, "line"}}});
  return out;
}

constexpr int64_t kNow = 1'800'000'000'000'000'000;
constexpr int64_t kMinute = 60'000'000'000;

TEST(PushRules, RefuseEntriesBeyondTheCreationGracePeriod) {
  PushRules rules;
  rules.now_ns = kNow;
  auto fine = batches({{{{"app", "a"}}, kNow + 9 * kMinute}, {{{"app", "b"}}, 0}});
  EXPECT_TRUE(apply_push_rules(fine, rules).ok());
  auto future = batches({{{{"app", "a"}}, kNow}, {{{"app", "b"}}, kNow + 11 * kMinute}});
  Status s = apply_push_rules(future, rules);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find(R"(stream '{app="b"}' has timestamp too new)"), std::string::npos) << s.message();
  rules.creation_grace_ns = 0;
  auto ahead = batches({{{{"app", "a"}}, kNow + 1}});
  EXPECT_FALSE(apply_push_rules(ahead, rules).ok());
}

TEST(PushRules, MaasdsOwnJobIsRefusedOrMarkedAsPushed) {
  PushRules rules;
  rules.now_ns = kNow;
  rules.pusher = "k1";
  auto forged = batches({{{{"app", "a"}}, kNow}, {{{"job", "maasd"}, {"kind", "event"}}, kNow}});
  Status s = apply_push_rules(forged, rules);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find(R"(the label job="maasd" is reserved)"), std::string::npos) << s.message();
  EXPECT_EQ(forged[1].labels.text(), R"({job="maasd", kind="event"})");  // untouched

  rules.accept_maasd_streams = true;
  auto peer = batches({{{{"app", "a"}}, kNow}, {{{"job", "maasd"}, {"kind", "event"}, {"pushed_by", "me"}}, kNow}});
  ASSERT_TRUE(apply_push_rules(peer, rules).ok());
  EXPECT_EQ(peer[0].labels.text(), R"({app="a"})");
  EXPECT_EQ(peer[1].labels.text(), R"({job="maasd", kind="event", pushed_by="k1"})");  // whatever it claimed
}

}  // namespace
}  // namespace maas::logs
