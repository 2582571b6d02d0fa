// docs/configuration.md carries the generated reference; it must match the schema.

#include "runtime/config/config_doc.hpp"
#include "runtime/config/schema.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace trader::config {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ConfigDoc, DocsMatchTheSchema) {
  auto path = std::filesystem::path(TRADER_SOURCE_DIR) / "docs" / "configuration.md";
  auto doc = read(path);
  ASSERT_NE(doc.find("<!-- BEGIN GENERATED"), std::string::npos) << path;
  EXPECT_TRUE(splice_reference(doc) == doc)
    << "docs/configuration.md is stale: run build-dir/tools/configdoc/configdoc docs/configuration.md";
}

TEST(ConfigDoc, ListsEveryKey) {
  auto md = render_reference_markdown();
  for (const auto& s : schema())
    for (const auto& f : s.fields)
      EXPECT_NE(md.find("| `" + f.key + "`"), std::string::npos) << s.name << "." << f.key;
}

TEST(ConfigDoc, SpliceLeavesDocumentsWithoutMarkersAlone) {
  EXPECT_EQ(splice_reference("no markers"), "no markers");
  auto spliced = splice_reference("a\n<!-- BEGIN GENERATED x -->\nSTALE_TEXT\n<!-- END GENERATED -->\nb\n");
  EXPECT_EQ(spliced.find("STALE_TEXT"), std::string::npos);
  EXPECT_EQ(spliced.rfind("a\n", 0), 0u);
  EXPECT_NE(spliced.find("<!-- END GENERATED -->\nb\n"), std::string::npos);
}

} // namespace
} // namespace trader::config
