#pragma once
// base64url without padding (RFC 4648 §5), as JOSE uses it.

#include <optional>
#include <string>
#include <string_view>

namespace trader::net {

/// Encodes bytes as base64url, no '=' padding.
std::string base64url_encode(std::string_view bytes);

/// Decodes base64url; padding is tolerated, anything else outside the alphabet is an error.
std::optional<std::string> base64url_decode(std::string_view text);

} // namespace trader::net
