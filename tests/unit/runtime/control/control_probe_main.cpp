// control_probe SOCKET CMD: sends one request and prints "<status> <response line>".
// The peer-credential test runs it under another uid with setpriv.

#include "runtime/control/control_client.hpp"

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: control_probe SOCKET CMD\n";
    return 2;
  }
  trader::control::control_client client(argv[1]);
  auto r = client.call(argv[2], nlohmann::json::object(), std::chrono::seconds(5));
  std::cout << trader::control::to_string(r.status) << ' ';
  if (r.status == trader::control::client_status::ok)
    std::cout << trader::control::serialize(r.resp);
  else
    std::cout << r.message;
  std::cout << '\n';
  return r.ok() ? 0 : 1;
}
