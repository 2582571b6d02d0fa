// configdoc: regenerates the reference section of docs/configuration.md from the schema.
//   configdoc                 print the generated reference to stdout
//   configdoc FILE            rewrite FILE's GENERATED section in place
//   configdoc --check FILE    exit 1 if FILE's GENERATED section is stale

#include "runtime/config/config_doc.hpp"

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
  using namespace trader::config;
  if (argc == 1) {
    std::cout << render_reference_markdown();
    return 0;
  }
  bool check = std::string(argv[1]) == "--check";
  if (argc != (check ? 3 : 2)) {
    std::cerr << "usage: configdoc [--check] [docs/configuration.md]\n";
    return 2;
  }
  std::string path = argv[check ? 2 : 1];
  std::ifstream in(path);
  if (!in) {
    std::cerr << "configdoc: cannot read " << path << "\n";
    return 2;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  std::string fresh = splice_reference(doc);
  if (fresh == doc && doc.find("<!-- BEGIN GENERATED") == std::string::npos) {
    std::cerr << "configdoc: " << path << " has no <!-- BEGIN GENERATED --> marker\n";
    return 2;
  }
  if (check) {
    if (fresh != doc) {
      std::cerr << "configdoc: " << path << " is stale; run configdoc " << path << "\n";
      return 1;
    }
    return 0;
  }
  if (fresh != doc)
    std::ofstream(path) << fresh;
  return 0;
}
