#pragma once
// The control protocol: versioned, line-delimited JSON over the local Unix socket.
//   request  {"v":1,"id":7,"cmd":"status","args":{}}
//   response {"v":1,"id":7,"ok":true,"result":{...}}
//            {"v":1,"id":7,"ok":false,"error":{"code":"unknown_command","message":"..."}}
// One JSON object per line ('\n'), at most max_line_bytes bytes. No CAF here.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace trader::control {

/// The protocol version this build speaks; requests with another "v" are refused.
constexpr int protocol_version = 1;
/// Longest accepted line in bytes, excluding the '\n'; longer lines are a bad_request.
constexpr std::size_t max_line_bytes = std::size_t{64} * 1024;

/// Typed error codes; their wire spelling is to_string() (snake_case).
enum class error_code {
  bad_request,          ///< Not JSON, not an object, or a field of the wrong type.
  unsupported_version,  ///< "v" is not protocol_version.
  unknown_command,      ///< No command registered under "cmd".
  unauthorized,         ///< The peer's uid is neither the daemon's nor root.
  timeout,              ///< The command did not answer within its timeout.
  internal,             ///< The command failed unexpectedly (it threw, or a bug).
  unavailable,          ///< The daemon cannot serve this now (shutting down, overloaded).
  refused,              ///< Understood and refused on purpose; the message says why (e.g. a
                        ///< resume whose cause still holds).
};

/// "bad_request", "unsupported_version", ...
std::string_view to_string(error_code c);
/// The inverse of to_string; nullopt for an unknown spelling.
std::optional<error_code> parse_error_code(std::string_view s);

/// Who is on the other end of a connection (SO_PEERCRED).
struct peer_credentials {
  pid_t pid = 0;   ///< Peer process id at connect time.
  uid_t uid = 0;   ///< Peer effective user id.
  gid_t gid = 0;   ///< Peer effective group id.
};

/// One command invocation.
struct request {
  std::int64_t id = 0;                              ///< Chosen by the client; echoed back.
  std::string cmd;                                  ///< Command name, e.g. "status".
  nlohmann::json args = nlohmann::json::object();   ///< Command arguments (an object).
  peer_credentials peer;                            ///< Filled by the server; not on the wire.
};

/// A typed error with a human-readable message.
struct error {
  error_code code = error_code::internal;
  std::string message;
};

/// What a command answers: a result object, or an error.
struct reply {
  bool ok = true;                                    ///< True: result is set; false: err is.
  nlohmann::json result = nlohmann::json::object();  ///< The command's result (an object).
  error err;                                         ///< Meaningful only when !ok.

  /// A successful reply carrying result.
  static reply success(nlohmann::json result = nlohmann::json::object());
  /// A failed reply with code and message.
  static reply failure(error_code code, std::string message);
};

/// A reply addressed to a request id.
struct response {
  std::optional<std::int64_t> id;  ///< nullopt ("id":null) when the request's id was unreadable.
  reply body;
};

/// Serialises a request as one line (no trailing '\n').
std::string serialize(const request& r);
/// Serialises a response as one line (no trailing '\n').
std::string serialize(const response& r);

/// The outcome of parse_request: a request, or the error to answer with.
struct parsed_request {
  std::optional<request> req;      ///< Set when the line is a valid request.
  std::optional<std::int64_t> id;  ///< The id, whenever it could be read (even on error).
  error err;                       ///< Why the line was refused; meaningful when !req.
};

/// Parses one request line (without its '\n'); never throws.
parsed_request parse_request(std::string_view line);
/// Parses one response line; false with a reason in why if it is not a valid response.
bool parse_response(std::string_view line, response& out, std::string& why);

/// The response to send when parse_request fails.
response error_response(std::optional<std::int64_t> id, error err);

} // namespace trader::control
