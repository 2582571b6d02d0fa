// trader::errno_text: strerror's text without strerror's shared buffer.
#include "runtime/errno_text.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

namespace {

TEST(ErrnoText, NamesKnownErrors) {
  EXPECT_EQ(trader::errno_text(ENOENT), "No such file or directory");
  EXPECT_EQ(trader::errno_text(EACCES), "Permission denied");
  EXPECT_NE(trader::errno_text(ENOSPC), trader::errno_text(EIO));
}

TEST(ErrnoText, UnknownErrorNamesTheNumber) {
  EXPECT_NE(trader::errno_text(99999).find("99999"), std::string::npos);
}

} // namespace
