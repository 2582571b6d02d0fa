// Verifies the secret rotation thresholds: WARNING at 80 days, CRITICAL past 90.

#include "actors/infra/alerting/secret_rotation.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::alerting;

namespace {

constexpr std::int64_t day = 86400LL * 1'000'000'000LL;
constexpr ts_ns now = 2'000'000'000LL * 1'000'000'000LL;

} // namespace

TEST(SecretRotation, YoungKeyIsOk) {
  EXPECT_EQ(check_secret_age("k", now - 79 * day, now).status, rotation_status::ok);
}

TEST(SecretRotation, WarningFromEightyDays) {
  auto v = check_secret_age("coinbase_api_key", now - 80 * day, now);
  EXPECT_EQ(v.status, rotation_status::warning);
  EXPECT_EQ(v.reason, "SECRET_ROTATION: key=coinbase_api_key age_days=80.0 warning_days=80");
}

TEST(SecretRotation, NinetyDaysIsStillWarningPastIsCritical) {
  EXPECT_EQ(check_secret_age("k", now - 90 * day, now).status, rotation_status::warning);
  EXPECT_EQ(check_secret_age("k", now - 90 * day - 1, now).status, rotation_status::critical);
}

TEST(SecretRotation, UnknownCreationTimeIsUnknown) {
  EXPECT_EQ(check_secret_age("k", 0, now).status, rotation_status::unknown);
  EXPECT_EQ(check_secret_age("k", now + day, now).status, rotation_status::unknown);
  EXPECT_FALSE(rotation_alert("k", check_secret_age("k", 0, now), now));
}

TEST(SecretRotation, AlertsCarryTheLevelAndAPerKeyFingerprint) {
  auto a = rotation_alert("coinbase_api_key", check_secret_age("coinbase_api_key", now - 95 * day, now), now);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type, "secret_rotation_due");
  EXPECT_EQ(a->level, severity::critical);
  EXPECT_EQ(a->fingerprint, "secret_rotation_due:coinbase_api_key");
  auto ok = rotation_alert("coinbase_api_key", check_secret_age("coinbase_api_key", now - day, now), now);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->resolved);
}
