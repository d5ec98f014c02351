#include "graph/graph_executor.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <optional>

#include "graph/graph_signature.h"
#include "graph/routing.h"

namespace maas::graph {
namespace {
namespace asio = boost::asio;
using runtime::DataType;
using runtime::Tensor;

Tensor fp32(std::string name, std::vector<int64_t> shape, std::vector<float> v) {
  Tensor t;
  t.name = std::move(name);
  t.datatype = DataType::kFp32;
  t.shape = std::move(shape);
  t.data = runtime::Buffer::copy_of(v.data(), v.size() * sizeof(float));
  return t;
}

std::vector<float> values(const Tensor& t) {
  return std::vector<float>(t.as<float>(), t.as<float>() + t.element_count());
}

// Models as functions of their one input "x" to their one output "y"; each call is counted.
class FakeSteps : public StepInvoker {
 public:
  std::map<std::string, std::function<Result<float>(float)>> models;
  std::vector<std::string> calls;

  Result<int64_t> version_of(const Step&) const override { return 7; }
  runtime::ModelSignature signature{{{"x", DataType::kFp32, {-1}, true, false}},
                                    {{"y", DataType::kFp32, {-1}, true, false}}};

  Result<const runtime::ModelSignature*> signature_of(const Step&) const override { return &signature; }
  asio::awaitable<Result<std::vector<Tensor>>> run(const Step& step, std::vector<Tensor> inputs,
                                                   const RunOptions&) override {
    calls.push_back(step.model);
    // Yield once, so that steps meant to run together interleave.
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    std::vector<float> out;
    for (float v : values(inputs.at(0))) {
      auto r = models.at(step.model)(v);
      if (!r.ok()) co_return r.status();
      out.push_back(*r);
    }
    co_return std::vector<Tensor>{fp32("y", inputs.at(0).shape, out)};
  }
  void observe(const std::string& label, double) override { observed.push_back(label); }
  std::vector<std::string> observed;
};

struct Fixture {
  std::shared_ptr<FakeSteps> steps = std::make_shared<FakeSteps>();
  Fixture() {
    steps->models["double"] = [](float v) -> Result<float> { return 2 * v; };
    steps->models["plus1"] = [](float v) -> Result<float> { return v + 1; };
    steps->models["broken"] = [](float) -> Result<float> { return unavailable("worker died"); };
    steps->models["throws"] = [](float) -> Result<float> { throw std::runtime_error("bad_alloc, say"); };
  }

  Result<std::vector<Tensor>> run(const std::string& document, std::vector<Tensor> inputs,
                                  std::shared_ptr<Trace> trace = nullptr, std::string id = "") {
    auto spec = parse_graph(nlohmann::json::parse(document), {});
    EXPECT_TRUE(spec.ok()) << spec.status().message();
    GraphExecutor executor(std::make_shared<const GraphSpec>(std::move(*spec)), steps);
    asio::io_context io;
    RunOptions options;
    options.request_id = std::move(id);
    std::optional<Result<std::vector<Tensor>>> result;
    auto body = [&]() -> asio::awaitable<void> {
      auto outputs = co_await executor.run(std::move(inputs), options, trace);
      result = std::move(outputs);
    };
    asio::co_spawn(io, body, asio::detached);
    io.run_for(std::chrono::seconds(30));  // returns as soon as the run is done; bounded so a hang fails the test
    if (!result) return deadline_exceeded("the graph did not answer");
    return std::move(*result);
  }
};

TEST(GraphExecutor, SequenceFeedsEachStepTheLastOutput) {
  Fixture f;
  auto out = f.run(R"({"format": "maas-graph", "nodes": {"s": {"kind": "sequence", "steps": [
    {"model": "double", "output_map": {"y": "x"}}, {"model": "plus1"}]}}})",
                   {fp32("x", {2}, {1, 2})});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(values(out->at(0)), (std::vector<float>{3, 5}));
  EXPECT_EQ(f.steps->observed, (std::vector<std::string>{"s.double", "s.plus1"}));
}

TEST(GraphExecutor, EnsembleRunsStepsTogetherAndAverages) {
  Fixture f;
  auto trace = std::make_shared<Trace>();
  auto out = f.run(R"({"format": "maas-graph", "nodes": {"e": {"kind": "ensemble", "combine": "average",
    "output": "mean", "steps": [{"model": "double", "weight": 3}, {"model": "plus1"}]}}})",
                   {fp32("x", {1}, {4})}, trace);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->at(0).name, "mean");
  EXPECT_EQ(values(out->at(0)), (std::vector<float>{(3 * 8 + 5) / 4.0f}));
  EXPECT_EQ(trace->json()["steps"].size(), 2u);
  EXPECT_EQ(trace->versions(), "double:7,plus1:7");
}

TEST(GraphExecutor, StackFeedsTheFinalModel) {
  Fixture f;
  f.steps->models["sum"] = [](float v) -> Result<float> { return v; };
  auto out = f.run(R"({"format": "maas-graph", "nodes": {"e": {"kind": "ensemble", "combine": "stack",
    "steps": [{"model": "double"}, {"model": "plus1"}], "final": {"model": "plus1", "name": "final"}}}})",
                   {fp32("x", {1}, {4})});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->at(0).shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(values(out->at(0)), (std::vector<float>{9, 6}));
}

TEST(GraphExecutor, SwitchPicksTheFirstHoldingCondition) {
  Fixture f;
  const char* doc = R"({"format": "maas-graph", "nodes": {"w": {"kind": "switch", "steps": [
    {"model": "double", "when": {"tensor": "x", "op": ">", "value": 10}}, {"model": "plus1"}]}}})";
  auto trace = std::make_shared<Trace>();
  EXPECT_EQ(values(f.run(doc, {fp32("x", {1}, {20})}, trace)->at(0)), (std::vector<float>{40}));
  EXPECT_EQ(trace->json()["branches"]["w"], "double");
  EXPECT_EQ(values(f.run(doc, {fp32("x", {1}, {2})})->at(0)), (std::vector<float>{3}));
}

TEST(GraphExecutor, SplitterIsReproduciblePerRequestId) {
  Fixture f;
  const char* doc = R"({"format": "maas-graph", "nodes": {"p": {"kind": "splitter", "steps": [
    {"model": "double", "weight": 1}, {"model": "plus1", "weight": 1}]}}})";
  for (std::string id : {"a", "b", "c", "d"}) {
    float expected = fnv1a64(id + "/p") % 2 == 0 ? 10.0f : 6.0f;  // double(5) or plus1(5)
    auto out = f.run(doc, {fp32("x", {1}, {5})}, nullptr, id);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(values(out->at(0))[0], expected) << id;
  }
}

TEST(GraphExecutor, AStepErrorNamesTheStepAndKeepsItsCode) {
  Fixture f;
  auto out = f.run(R"({"format": "maas-graph", "nodes": {"s": {"kind": "sequence", "steps": [
    {"model": "double", "output_map": {"y": "x"}}, {"model": "broken", "name": "second"}]}}})",
                   {fp32("x", {1}, {1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(out.status().message().find("step 'second' (model 'broken' version 7): worker died"), std::string::npos);
  auto missing = f.run(R"({"format": "maas-graph", "nodes": {"s": {"kind": "sequence", "steps": [
    {"model": "double"}]}}})",
                       {fp32("z", {1}, {1})});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("takes tensor 'x'"), std::string::npos);
}

TEST(GraphExecutor, AStepThatThrowsIsAnInternalErrorNotAHang) {
  Fixture f;
  auto out = f.run(R"({"format": "maas-graph", "nodes": {"e": {"kind": "ensemble", "combine": "average",
    "steps": [{"model": "double"}, {"model": "throws"}]}}})",
                   {fp32("x", {1}, {4})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInternal);
  EXPECT_EQ(out.status().message(), "graph node 'e' step 'throws' failed: bad_alloc, say");
}

TEST(GraphExecutor, NestedNodesRenameThroughInputMaps) {
  Fixture f;
  auto out = f.run(R"({"format": "maas-graph", "root": "outer", "nodes": {
    "outer": {"kind": "sequence", "steps": [{"node": "inner", "input_map": {"x": "features"}}]},
    "inner": {"kind": "sequence", "steps": [{"model": "double"}]}}})",
                   {fp32("features", {1}, {3})});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(values(out->at(0)), (std::vector<float>{6}));
}

TEST(GraphSignature, InputsAreWhatNoStepProduces) {
  Fixture f;
  auto spec = parse_graph(nlohmann::json::parse(R"({"format": "maas-graph", "root": "outer", "nodes": {
    "outer": {"kind": "sequence", "steps": [{"node": "inner", "input_map": {"x": "features"}}, {"model": "plus1",
              "input_map": {"x": "y"}, "output_map": {"y": "result"}}]},
    "inner": {"kind": "sequence", "steps": [{"model": "double"}]}}})"),
                          {});
  ASSERT_TRUE(spec.ok());
  auto signature = derive_signature(*spec, *f.steps);
  ASSERT_TRUE(signature.ok()) << signature.status().message();
  ASSERT_EQ(signature->inputs.size(), 1u);
  EXPECT_EQ(signature->inputs[0].name, "features");
  ASSERT_EQ(signature->outputs.size(), 1u);
  EXPECT_EQ(signature->outputs[0].name, "result");
}

}  // namespace
}  // namespace maas::graph
