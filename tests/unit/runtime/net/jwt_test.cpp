// JWT signing (daemon side) and verification (simex side) for CDP keys.
#include "runtime/net/jwt.hpp"

#include "runtime/net/base64url.hpp"
#include "runtime/net/test_pki.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

using namespace trader;
using namespace trader::net;
namespace pki = trader::net::testing;

namespace {

constexpr ts_ns t0 = 1'780'000'000LL * ns_per_s;
const std::string key_name = "organizations/org-1/apiKeys/key-1";

struct parts {
  nlohmann::json header, claims;
  std::string signing_input, sig;
};

parts split(const std::string& token) {
  auto d1 = token.find('.');
  auto d2 = token.find('.', d1 + 1);
  parts p;
  p.header = nlohmann::json::parse(*base64url_decode(token.substr(0, d1)));
  p.claims = nlohmann::json::parse(*base64url_decode(token.substr(d1 + 1, d2 - d1 - 1)));
  p.signing_input = token.substr(0, d2);
  p.sig = *base64url_decode(token.substr(d2 + 1));
  return p;
}

/// Builds and signs an arbitrary token (for claim variants and tampering).
std::string forge(const api_key& key, const nlohmann::json& header, const nlohmann::json& claims) {
  // Sign via a real token and swap the parts: reuse sign_rest_jwt's signer by signing the
  // exact input through EVP here instead (independent of the library).
  std::string input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key.native());
  size_t len = 0;
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  std::string der(len, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &len,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  EVP_MD_CTX_free(ctx);
  auto p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(es);
  return input + "." + base64url_encode(raw);
}

class JwtTest : public ::testing::Test {
protected:
  JwtTest()
    : key(*api_key::from_pem(key_name, pki::generate_ec_key_pem(false))),
      verifier(jwt_verify_options{}) {
    verifier.add_key(*public_key::from_pem(key_name, key.public_key_pem()));
  }
  jwt_check rest(const std::string& token, std::string method = "GET",
                 std::string path = "/api/v3/brokerage/accounts", ts_ns now = t0) {
    return verifier.verify_rest("Bearer " + token, method, host, path, now);
  }
  std::string host = "127.0.0.1:8443";
  api_key key;
  jwt_verifier verifier;
};

} // namespace

TEST(Base64Url, RoundTripsAllLengths) {
  std::string s;
  for (int i = 0; i < 70; ++i) {
    EXPECT_EQ(*base64url_decode(base64url_encode(s)), s);
    s += static_cast<char>(i * 37);
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64url_decode("a+b/").has_value());
}

TEST(ApiKey, LoadsSec1AndPkcs8AndEscapedNewlines) {
  EXPECT_TRUE(api_key::from_pem("k", pki::generate_ec_key_pem(false)));
  EXPECT_TRUE(api_key::from_pem("k", pki::generate_ec_key_pem(true)));
  auto pem = pki::generate_ec_key_pem(false);
  std::string escaped;
  for (char c : pem)
    escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  EXPECT_TRUE(api_key::from_pem("k", escaped));
  auto bad = api_key::from_pem("k", "-----BEGIN EC PRIVATE KEY-----\nxx\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("cannot parse"), std::string::npos);
}

TEST(ApiKey, LoadsCdpJsonFile) {
  nlohmann::json j{{"name", key_name}, {"privateKey", pki::generate_ec_key_pem(false)}};
  auto k = api_key::from_cdp_json(j.dump());
  ASSERT_TRUE(k);
  EXPECT_EQ(k->name(), key_name);
}

TEST(ApiKey, NeverPrintsKeyMaterial) {
  auto pem = pki::generate_ec_key_pem(false);
  auto k = *api_key::from_pem(key_name, pem);
  std::ostringstream os;
  os << k << ' ' << *public_key::from_pem(key_name, k.public_key_pem());
  auto text = os.str();
  EXPECT_NE(text.find(key_name), std::string::npos);
  EXPECT_EQ(text.find("BEGIN"), std::string::npos);
  // No line of the PEM body (base64 of the secret) shows up anywhere in the output or a token.
  auto token = sign_rest_jwt(k, "GET", "h", "/p", t0);
  std::istringstream lines(pem);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.rfind("-----", 0) == 0)
      continue;
    EXPECT_EQ(text.find(line), std::string::npos);
    EXPECT_EQ(token.find(line), std::string::npos);
  }
}

TEST_F(JwtTest, RestTokenHasCoinbaseHeaderAndClaims) {
  auto token = sign_rest_jwt(key, "GET", "api.coinbase.com", "/api/v3/brokerage/accounts?limit=5", t0);
  auto p = split(token);
  EXPECT_EQ(p.header["alg"], "ES256");
  EXPECT_EQ(p.header["typ"], "JWT");
  EXPECT_EQ(p.header["kid"], key_name);
  EXPECT_EQ(p.header["nonce"].get<std::string>().size(), 64u);
  EXPECT_EQ(p.claims["iss"], "cdp");
  EXPECT_EQ(p.claims["sub"], key_name);
  EXPECT_EQ(p.claims["nbf"], t0 / ns_per_s);
  EXPECT_EQ(p.claims["exp"], t0 / ns_per_s + 120);
  EXPECT_EQ(p.claims["uri"], "GET api.coinbase.com/api/v3/brokerage/accounts");
  EXPECT_EQ(p.sig.size(), 64u);
  EXPECT_NE(split(sign_rest_jwt(key, "GET", "h", "/p", t0)).header["nonce"],
            split(sign_rest_jwt(key, "GET", "h", "/p", t0)).header["nonce"]);
}

TEST_F(JwtTest, WsTokenHasNoUri) {
  auto p = split(sign_ws_jwt(key, t0));
  EXPECT_FALSE(p.claims.contains("uri"));
  EXPECT_EQ(p.claims["sub"], key_name);
  EXPECT_TRUE(verifier.verify_ws(sign_ws_jwt(key, t0), t0).ok());
}

TEST_F(JwtTest, SignThenVerifyRoundTrip) {
  auto token = sign_rest_jwt(key, "POST", host, "/api/v3/brokerage/orders", t0);
  auto c = rest(token, "POST", "/api/v3/brokerage/orders?x=1");
  EXPECT_TRUE(c.ok()) << to_string(c.status) << ": " << c.detail;
  EXPECT_EQ(c.key_name, key_name);
}

TEST_F(JwtTest, SignatureVerifiesWithPlainOpenSslEvp) {
  auto p = split(sign_rest_jwt(key, "GET", host, "/x", t0));
  // r||s → DER by hand, then EVP_DigestVerify with the public key read from PEM.
  ECDSA_SIG* es = ECDSA_SIG_new();
  auto raw = reinterpret_cast<const unsigned char*>(p.sig.data());
  ECDSA_SIG_set0(es, BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(es, &der);
  ECDSA_SIG_free(es);
  auto pub_pem = key.public_key_pem();
  BIO* bio = BIO_new_mem_buf(pub_pem.data(), static_cast<int>(pub_pem.size()));
  EVP_PKEY* pub = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pub);
  int rc = EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len),
                            reinterpret_cast<const unsigned char*>(p.signing_input.data()),
                            p.signing_input.size());
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pub);
  OPENSSL_free(der);
  EXPECT_EQ(rc, 1);
}

TEST_F(JwtTest, SignatureVerifiesWithOpensslCli) {
  if (std::system("openssl version >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "openssl CLI not installed";
  auto dir = std::filesystem::temp_directory_path() / ("jwt_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = split(sign_rest_jwt(key, "GET", host, "/x", t0));
  ECDSA_SIG* es = ECDSA_SIG_new();
  auto raw = reinterpret_cast<const unsigned char*>(p.sig.data());
  ECDSA_SIG_set0(es, BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(es, &der);
  ECDSA_SIG_free(es);
  pki::write_file(dir / "sig.der", std::string(reinterpret_cast<char*>(der), der_len));
  OPENSSL_free(der);
  pki::write_file(dir / "input", p.signing_input);
  pki::write_file(dir / "pub.pem", key.public_key_pem());
  auto cmd = "openssl dgst -sha256 -verify " + (dir / "pub.pem").string() + " -signature "
             + (dir / "sig.der").string() + " " + (dir / "input").string() + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::filesystem::remove_all(dir);
}

TEST_F(JwtTest, RejectsMissingToken) {
  EXPECT_EQ(verifier.verify_rest("", "GET", host, "/a", t0).status, jwt_status::missing);
  EXPECT_EQ(verifier.verify_rest("Basic abc", "GET", host, "/a", t0).status, jwt_status::missing);
  EXPECT_EQ(verifier.verify_ws("", t0).status, jwt_status::missing);
}

TEST_F(JwtTest, RejectsMalformedToken) {
  EXPECT_EQ(rest("abc").status, jwt_status::malformed);
  EXPECT_EQ(rest("a.b.c.d").status, jwt_status::malformed);
  EXPECT_EQ(rest("e30.e30.").status, jwt_status::malformed);  // {} header: no alg
}

TEST_F(JwtTest, RejectsExpiredToken) {
  auto token = sign_rest_jwt(key, "GET", host, "/api/v3/brokerage/accounts", t0);
  EXPECT_TRUE(rest(token, "GET", "/api/v3/brokerage/accounts", t0 + 140 * ns_per_s).ok());  // skew
  EXPECT_EQ(rest(token, "GET", "/api/v3/brokerage/accounts", t0 + 151 * ns_per_s).status,
            jwt_status::expired);
}

TEST_F(JwtTest, RejectsFutureNbf) {
  auto token = sign_rest_jwt(key, "GET", host, "/api/v3/brokerage/accounts", t0 + 60 * ns_per_s);
  EXPECT_EQ(rest(token).status, jwt_status::not_yet_valid);
}

TEST_F(JwtTest, RejectsSignatureByAnotherKey) {
  auto other = *api_key::from_pem(key_name, pki::generate_ec_key_pem(true));
  auto c = rest(sign_rest_jwt(other, "GET", host, "/api/v3/brokerage/accounts", t0));
  EXPECT_EQ(c.status, jwt_status::bad_signature);
}

TEST_F(JwtTest, RejectsTamperedClaims) {
  auto token = sign_rest_jwt(key, "GET", host, "/api/v3/brokerage/accounts", t0);
  auto p = split(token);
  p.claims["exp"] = t0 / ns_per_s + 100000;
  auto d2 = token.rfind('.');
  auto tampered = base64url_encode(p.header.dump()) + "." + base64url_encode(p.claims.dump())
                  + token.substr(d2);
  EXPECT_EQ(rest(tampered).status, jwt_status::bad_signature);
}

TEST_F(JwtTest, RejectsUnknownKey) {
  auto other = *api_key::from_pem("organizations/x/apiKeys/nope", pki::generate_ec_key_pem());
  EXPECT_EQ(rest(sign_rest_jwt(other, "GET", host, "/api/v3/brokerage/accounts", t0)).status,
            jwt_status::unknown_key);
}

TEST_F(JwtTest, RejectsWrongUri) {
  auto token = sign_rest_jwt(key, "GET", host, "/api/v3/brokerage/accounts", t0);
  EXPECT_EQ(rest(token, "POST", "/api/v3/brokerage/accounts").status, jwt_status::wrong_uri);
  EXPECT_EQ(rest(token, "GET", "/api/v3/brokerage/orders").status, jwt_status::wrong_uri);
  auto other_host = sign_rest_jwt(key, "GET", "evil.example", "/api/v3/brokerage/accounts", t0);
  EXPECT_EQ(rest(other_host).status, jwt_status::wrong_uri);
  // A WS token (no uri) is not a REST token.
  EXPECT_EQ(rest(sign_ws_jwt(key, t0)).status, jwt_status::wrong_uri);
}

TEST_F(JwtTest, AcceptsCcxtClaimVariants) {
  std::int64_t now = t0 / ns_per_s;
  nlohmann::json header{{"alg", "ES256"}, {"kid", key_name}, {"nonce", "0123456789abcdef0123456789abcdef"}};
  // ccxt ES256: iss coinbase-cloud, aud, iat; over http:// its uri keeps the scheme.
  nlohmann::json claims{{"iss", "coinbase-cloud"}, {"aud", {"retail_rest_api_proxy"}},
                        {"sub", key_name}, {"nbf", now}, {"iat", now}, {"exp", now + 120},
                        {"uri", "GET http://" + host + "/api/v3/brokerage/accounts"}};
  auto c = rest(forge(key, header, claims));
  EXPECT_TRUE(c.ok()) << c.detail;
  // ccxt EdDSA-mode claim shape: uris array instead of uri.
  claims.erase("uri");
  claims["iss"] = "cdp";
  claims["uris"] = {"GET " + host + "/api/v3/brokerage/accounts"};
  EXPECT_TRUE(rest(forge(key, header, claims)).ok());
}

TEST_F(JwtTest, AcceptsConfiguredExtraHost) {
  jwt_verifier v(jwt_verify_options{.extra_hosts = {"api.coinbase.com"}});
  v.add_key(*public_key::from_pem(key_name, key.public_key_pem()));
  auto token = sign_rest_jwt(key, "GET", "api.coinbase.com", "/a", t0);
  EXPECT_TRUE(v.verify_rest("Bearer " + token, "GET", host, "/a", t0).ok());
}

TEST_F(JwtTest, Ed25519KeysSignAndVerify) {
  auto ed = *api_key::from_pem("ed-key", pki::generate_ed25519_key_pem());
  EXPECT_EQ(ed.algorithm(), key_algorithm::eddsa);
  verifier.add_key(*public_key::from_pem("ed-key", ed.public_key_pem()));
  auto token = sign_rest_jwt(ed, "GET", host, "/api/v3/brokerage/accounts", t0);
  EXPECT_EQ(split(token).header["alg"], "EdDSA");
  EXPECT_TRUE(rest(token).ok());
}
