// The translation between the gRPC messages and the /v2 routes' bodies (src/grpc/infer_codec.h).
#include "grpc/infer_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

namespace maas::grpc_api {
namespace {
using nlohmann::json;

json header_of(const HttpInferBody& b) { return json::parse(b.body.substr(0, b.json_length)); }

TEST(InferBody, RawInputsFollowTheHeaderInOrderWithTheirSizes) {
  inference::ModelInferRequest req;
  req.set_id("r1");
  (*req.mutable_parameters())["priority"].set_int64_param(2);
  auto* a = req.add_inputs();
  a->set_name("a");
  a->set_datatype("FP32");
  a->add_shape(1);
  a->add_shape(2);
  auto* b = req.add_inputs();
  b->set_name("b");
  b->set_datatype("INT64");
  b->add_shape(1);
  req.add_raw_input_contents(std::string(8, 'x'));
  req.add_raw_input_contents(std::string(8, 'y'));
  req.add_outputs()->set_name("out");
  auto body = infer_body(req);
  ASSERT_TRUE(body.ok()) << body.status().to_string();
  json h = header_of(*body);
  EXPECT_EQ(h["id"], "r1");
  EXPECT_EQ(h["parameters"]["priority"], 2);
  EXPECT_EQ(h["parameters"]["binary_data_output"], true);
  EXPECT_EQ(h["inputs"][0]["parameters"]["binary_data_size"], 8);
  EXPECT_EQ(h["inputs"][1]["shape"], json::array({1}));
  EXPECT_EQ(h["outputs"][0]["name"], "out");
  EXPECT_EQ(h["outputs"][0]["parameters"]["binary_data"], true);
  EXPECT_EQ(body->body.substr(body->json_length), std::string(8, 'x') + std::string(8, 'y'));
}

TEST(InferBody, TypedContentsBecomeTheBinaryLayout) {
  inference::ModelInferRequest req;
  auto* a = req.add_inputs();
  a->set_name("a");
  a->set_datatype("INT16");
  a->add_shape(2);
  a->mutable_contents()->add_int_contents(-2);
  a->mutable_contents()->add_int_contents(300);
  auto* s = req.add_inputs();
  s->set_name("s");
  s->set_datatype("BYTES");
  s->add_shape(1);
  s->mutable_contents()->add_bytes_contents("hey");
  auto body = infer_body(req);
  ASSERT_TRUE(body.ok()) << body.status().to_string();
  std::string tail = body->body.substr(body->json_length);
  ASSERT_EQ(tail.size(), 4u + 4u + 3u);
  int16_t v[2];
  std::memcpy(v, tail.data(), 4);
  EXPECT_EQ(v[0], -2);
  EXPECT_EQ(v[1], 300);
  uint32_t n = 0;
  std::memcpy(&n, tail.data() + 4, 4);
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(tail.substr(8), "hey");
  EXPECT_EQ(header_of(*body)["inputs"][1]["parameters"]["binary_data_size"], 7);
}

TEST(InferBody, RefusesMismatchedRawEntriesBothKindsAndUntypedDatatypes) {
  inference::ModelInferRequest req;
  auto* a = req.add_inputs();
  a->set_name("a");
  a->set_datatype("FP16");
  a->add_shape(1);
  auto s = infer_body(req).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("raw_input_contents"), std::string::npos);
  req.add_raw_input_contents("xx");
  req.add_raw_input_contents("yy");
  s = infer_body(req).status();
  EXPECT_NE(s.message().find("2 entries for 1 inputs"), std::string::npos) << s.message();
  req.mutable_raw_input_contents()->RemoveLast();
  a->mutable_contents()->add_fp32_contents(1);
  EXPECT_EQ(infer_body(req).status().code(), StatusCode::kInvalidArgument);
}

TEST(InferAnswer, BinaryOutputsBecomeRawContents) {
  json h = {{"model_name", "m"},
            {"model_version", "3"},
            {"id", "r"},
            {"parameters", {{"trace", {{"a", 1}}}, {"n", 2}}},
            {"outputs",
             {{{"name", "p"}, {"datatype", "FP32"}, {"shape", {2}}, {"parameters", {{"binary_data_size", 8}}}},
              {{"name", "q"}, {"datatype", "UINT8"}, {"shape", {1}}, {"parameters", {{"binary_data_size", 1}}}}}}};
  http::Response r;
  r.body = h.dump();
  r.headers.emplace_back("Inference-Header-Content-Length", std::to_string(r.body.size()));
  r.body += std::string(8, 'p') + "q";
  inference::ModelInferResponse out;
  ASSERT_TRUE(read_infer_answer(r, &out).ok());
  EXPECT_EQ(out.model_name(), "m");
  EXPECT_EQ(out.model_version(), "3");
  EXPECT_EQ(out.id(), "r");
  ASSERT_EQ(out.outputs_size(), 2);
  EXPECT_EQ(out.outputs(1).datatype(), "UINT8");
  EXPECT_EQ(out.raw_output_contents(0), std::string(8, 'p'));
  EXPECT_EQ(out.raw_output_contents(1), "q");
  EXPECT_EQ(out.parameters().at("n").uint64_param(), 2u);
  EXPECT_EQ(out.parameters().at("trace").string_param(), R"({"a":1})");

  r.body.pop_back();  // an output past the body's end
  inference::ModelInferResponse truncated;
  EXPECT_EQ(read_infer_answer(r, &truncated).code(), StatusCode::kInternal);
}

TEST(GrpcStatus, CarriesTheRoutesMessageUnderTheMatchingCode) {
  http::Response r;
  r.status = 404;
  r.body = R"({"error": "model 'x' is not loaded"})";
  auto s = grpc_status(r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "model 'x' is not loaded");
  r.status = 401;
  r.body = R"({"error": {"code": "UNAUTHENTICATED", "message": "missing key"}})";
  s = grpc_status(r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "missing key");
  r.status = 429;
  EXPECT_EQ(grpc_status(r).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  r.status = 503;
  EXPECT_EQ(grpc_status(r).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(RepositoryBody, ForwardsParametersAndRefusesFiles) {
  google::protobuf::Map<std::string, inference::ModelRepositoryParameter> p;
  p["version"].set_string_param("2");
  p["keep_other_versions"].set_bool_param(true);
  auto body = repository_body(p);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(json::parse(*body), json({{"parameters", {{"version", "2"}, {"keep_other_versions", true}}}}));
  p["file:1/model.onnx"].set_bytes_param("...");
  EXPECT_EQ(repository_body(p).status().code(), StatusCode::kInvalidArgument);
}

TEST(CheckSegment, RefusesSlashesAndMissingNames) {
  EXPECT_TRUE(check_segment("iris", "name", false).ok());
  EXPECT_TRUE(check_segment("", "version", true).ok());
  EXPECT_FALSE(check_segment("", "name", false).ok());
  EXPECT_FALSE(check_segment("a/versions/1", "name", false).ok());
}

}  // namespace
}  // namespace maas::grpc_api
