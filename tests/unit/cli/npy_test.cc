#include "cli/npy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace maas::cli {
namespace {

// A .npy file as numpy writes it: magic, version, little-endian header length, the header padded with spaces to a
// multiple of 64 bytes and ended by '\n', then the data.
std::string npy_file(const std::string& header, const std::string& data, int major = 1) {
  const size_t preamble = major == 1 ? 10 : 12;
  std::string text = header;
  while ((preamble + text.size() + 1) % 64 != 0) text += ' ';
  text += '\n';
  std::string file = "\x93NUMPY";
  file += static_cast<char>(major);
  file += '\0';
  const size_t length = text.size();
  for (size_t i = 0; i < preamble - 8; ++i) file += static_cast<char>((length >> (8 * i)) & 0xff);
  return file + text + data;
}

std::string header_for(const std::string& descr, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
}

std::string error_of(const std::string& file) {
  auto parsed = parse_npy(file);
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? "" : parsed.status().message();
}

TEST(NpyDatatype, MapsEveryLittleEndianDtypeToItsV2Datatype) {
  const std::vector<std::tuple<std::string, std::string, size_t>> cases = {
      {"<f4", "FP32", 4},   {"<f8", "FP64", 8},   {"<f2", "FP16", 2},  {"<i8", "INT64", 8},
      {"<i4", "INT32", 4},  {"<i2", "INT16", 2},  {"|i1", "INT8", 1},  {"<u8", "UINT64", 8},
      {"<u4", "UINT32", 4}, {"<u2", "UINT16", 2}, {"|u1", "UINT8", 1}, {"|b1", "BOOL", 1},
  };
  for (const auto& [descr, datatype, size] : cases) {
    auto mapped = npy_datatype(descr);
    ASSERT_TRUE(mapped.has_value()) << descr;
    EXPECT_EQ(mapped->datatype, datatype);
    EXPECT_EQ(mapped->element_size, size);
  }
  for (const char* other : {">f4", "<c8", "<U5", "|O", "<M8[ns]", "f4", "<f16"}) {
    EXPECT_FALSE(npy_datatype(other).has_value()) << other;
  }
}

TEST(ParseNpy, ReadsEveryDtypeWithItsShapeAndBytes) {
  const std::vector<std::pair<std::string, size_t>> dtypes = {
      {"<f4", 4}, {"<f8", 8}, {"<f2", 2}, {"<i8", 8}, {"<i4", 4}, {"<i2", 2},
      {"|i1", 1}, {"<u8", 8}, {"<u4", 4}, {"<u2", 2}, {"|u1", 1}, {"|b1", 1},
  };
  for (const auto& [descr, size] : dtypes) {
    const std::string data(2 * 3 * size, '\1');
    const std::string file = npy_file(header_for(descr, "(2, 3)"), data);
    auto array = parse_npy(file);
    ASSERT_TRUE(array.ok()) << descr << ": " << array.status().message();
    EXPECT_EQ(array->datatype, npy_datatype(descr)->datatype);
    EXPECT_EQ(array->shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(array->data, data);
    EXPECT_EQ(array->data.data(), file.data() + file.size() - data.size());
  }
}

TEST(ParseNpy, ReadsFormatVersionsTwoAndThree) {
  for (int major : {2, 3}) {
    auto array = parse_npy(npy_file(header_for("<i4", "(1,)"), std::string(4, '\0'), major));
    ASSERT_TRUE(array.ok()) << major << ": " << array.status().message();
    EXPECT_EQ(array->shape, (std::vector<int64_t>{1}));
    EXPECT_EQ(array->data.size(), 4u);
  }
}

TEST(ParseNpy, ReadsScalarsEmptyArraysAndAnyKeyOrder) {
  auto scalar = parse_npy(npy_file(header_for("<f8", "()"), std::string(8, '\0')));
  ASSERT_TRUE(scalar.ok());
  EXPECT_TRUE(scalar->shape.empty());
  auto empty = parse_npy(npy_file(header_for("<f4", "(0, 4)"), ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->shape, (std::vector<int64_t>{0, 4}));
  auto reordered =
      parse_npy(npy_file(R"({"shape": (2,), "fortran_order": False, "descr": "<i8"})", std::string(16, 'x')));
  ASSERT_TRUE(reordered.ok()) << reordered.status().message();
  EXPECT_EQ(reordered->datatype, "INT64");
}

TEST(ParseNpyHeader, ReadsPythonTwoLongs) {
  auto header = parse_npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 4L), }");
  ASSERT_TRUE(header.ok()) << header.status().message();
  EXPECT_EQ(header->shape, (std::vector<int64_t>{3, 4}));
}

TEST(ParseNpy, RefusesWhatCannotBeSentUnconverted) {
  EXPECT_NE(error_of(npy_file("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", std::string(16, '\0')))
                .find("Fortran"),
            std::string::npos);
  EXPECT_NE(error_of(npy_file(header_for(">f4", "(2,)"), std::string(8, '\0'))).find("big-endian"), std::string::npos);
  EXPECT_NE(error_of(npy_file(header_for("<c8", "(2,)"), std::string(16, '\0'))).find("'<c8'"), std::string::npos);
  EXPECT_NE(error_of(npy_file("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "abcd"))
                .find("structured"),
            std::string::npos);
}

TEST(ParseNpy, RefusesDataThatDoesNotMatchTheShape) {
  EXPECT_NE(error_of(npy_file(header_for("<f4", "(2, 3)"), std::string(20, '\0'))).find("needs 24"), std::string::npos);
  EXPECT_NE(error_of(npy_file(header_for("<f4", "(2, 3)"), std::string(28, '\0'))).find("28 bytes"), std::string::npos);
  EXPECT_FALSE(parse_npy(npy_file(header_for("<f8", "(4611686018427387904, 4)"), "")).ok());
}

TEST(ParseNpy, RefusesABrokenPreamble) {
  EXPECT_NE(error_of("PK\x03\x04 not numpy").find("magic"), std::string::npos);
  EXPECT_NE(error_of(std::string("\x93NUMPY\x04\x00\x10\x00", 10) + std::string(16, ' ')).find("version 4.0"),
            std::string::npos);
  EXPECT_FALSE(parse_npy(std::string("\x93NUMPY\x02\x00\x10", 9)).ok());
  // The header length runs past the end of the file.
  EXPECT_NE(error_of(std::string("\x93NUMPY\x01\x00\xff\x00{}", 12)).find("header"), std::string::npos);
}

TEST(ParseNpyHeader, RefusesMalformedDictionaries) {
  const std::vector<std::string> bad = {
      "",
      "'descr': '<f4'",
      "{'descr': '<f4', 'fortran_order': False}",                                    // no shape
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}",         // unknown key
      "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",     // twice
      "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}",                      // quotes
      "{'descr': '<f4', 'fortran_order': false, 'shape': (2,)}",                     // Python spelling
      "{'descr': '<f4', 'fortran_order': False, 'shape': [2]}",                      // not a tuple
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2 3)}",                    // no comma
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,)}",                   // not an integer
      "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}",  // too large
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing",
      "{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}",  // no comma between items
      "{'descr' '<f4', 'fortran_order': False, 'shape': (2,)}",  // no colon
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)",  // not closed
  };
  for (const std::string& text : bad) {
    auto header = parse_npy_header(text);
    EXPECT_FALSE(header.ok()) << text;
  }
  auto negative = parse_npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2)}");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("negative"), std::string::npos);
}

}  // namespace
}  // namespace maas::cli
