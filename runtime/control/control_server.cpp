#include "runtime/control/control_server.hpp"

#include "runtime/control/unix_socket.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <map>
#include <mutex>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace trader::control {

namespace {

using clock_type = std::chrono::steady_clock;
using nlohmann::json;

/// Output a slow reader may accumulate before we drop it.
constexpr std::size_t max_output_bytes = std::size_t{16} * 1024 * 1024;

struct pending_request {
  std::int64_t id = 0;
  std::string cmd;
  clock_type::time_point deadline;
};

struct connection {
  int fd = -1;
  peer_credentials peer;
  bool authorized = false;
  bool close_after_flush = false;
  bool broken = false;
  bool eof = false;  ///< The peer shut down its write side; answer what is pending, then close.
  std::string in;
  std::string out;
  clock_type::time_point last_activity;
  std::uint64_t next_seq = 1;
  std::map<std::uint64_t, pending_request> pending;
};

/// A reply posted by a handler, waiting for the server thread.
struct posted_reply {
  std::uint64_t conn;
  std::uint64_t seq;
  reply body;
};

} // namespace

struct control_server::impl : std::enable_shared_from_this<control_server::impl> {
  server_options opts;
  uid_t daemon_uid = ::geteuid();

  command_registry commands;

  std::mutex mailbox_mtx;
  std::vector<posted_reply> mailbox;
  bool accepting = false;
  int wake_fd = -1;  // eventfd; lives as long as any reply_fn may touch it

  std::atomic<bool> stop_requested{false};
  std::atomic<bool> is_running{false};
  int listen_fd = -1;
  socket_file_id file_id;
  std::thread thread;

  // Server-thread state.
  std::map<std::uint64_t, connection> conns;
  std::uint64_t next_conn = 1;

  explicit impl(server_options o) : opts(std::move(o)) { wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
  ~impl() {
    if (wake_fd >= 0)
      ::close(wake_fd);
  }

  void wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd, &one, sizeof one);
  }

  void post(std::uint64_t conn, std::uint64_t seq, reply body) {
    {
      std::lock_guard<std::mutex> lock(mailbox_mtx);
      if (!accepting)
        return;
      mailbox.push_back(posted_reply{conn, seq, std::move(body)});
    }
    wake();
  }

  void audit(const connection& c, const std::string& cmd, std::int64_t id, const reply& r) {
    if (!opts.on_audit)
      return;
    audit_record rec{c.peer, cmd, id, r.ok, r.ok ? std::nullopt : std::optional<error_code>(r.err.code)};
    try {
      opts.on_audit(rec);
    } catch (...) {
      // nop: auditing must not take the control plane down
    }
  }

  void send(connection& c, std::optional<std::int64_t> id, const reply& r) {
    c.out += serialize(response{id, r});
    c.out.push_back('\n');
    if (c.out.size() > max_output_bytes)
      c.broken = true;
  }

  void refuse(connection& c, std::optional<std::int64_t> id, const std::string& cmd, error_code code,
              std::string message) {
    auto r = reply::failure(code, std::move(message));
    send(c, id, r);
    audit(c, cmd, id.value_or(0), r);
  }

  void dispatch(std::uint64_t conn_id, connection& c, const std::string& line) {
    auto parsed = parse_request(line);
    if (!c.authorized) {
      refuse(c, parsed.id, parsed.req ? parsed.req->cmd : "", error_code::unauthorized,
             "uid " + std::to_string(c.peer.uid) + " may not use this control socket");
      c.close_after_flush = true;
      return;
    }
    if (!parsed.req) {
      refuse(c, parsed.id, "", parsed.err.code, parsed.err.message);
      return;
    }
    request req = std::move(*parsed.req);
    req.peer = c.peer;
    if (req.cmd == "help") {
      auto r = reply::success(commands.help());
      send(c, req.id, r);
      audit(c, req.cmd, req.id, r);
      return;
    }
    auto entry = commands.find(req.cmd);
    if (!entry) {
      refuse(c, req.id, req.cmd, error_code::unknown_command, "unknown command \"" + req.cmd + "\"; try help");
      return;
    }
    if (c.pending.size() >= opts.max_pending_per_client) {
      refuse(c, req.id, req.cmd, error_code::unavailable, "too many requests in flight on this connection");
      return;
    }
    auto seq = c.next_seq++;
    auto timeout = entry->timeout.count() > 0 ? entry->timeout : opts.request_timeout;
    c.pending.emplace(seq, pending_request{req.id, req.cmd, clock_type::now() + timeout});
    std::weak_ptr<impl> weak = weak_from_this();
    reply_fn answer = [weak, conn_id, seq](reply r) {
      if (auto self = weak.lock())
        self->post(conn_id, seq, std::move(r));
    };
    try {
      entry->handler(req, answer);
    } catch (const std::exception& e) {
      answer(reply::failure(error_code::internal, std::string("command failed: ") + e.what()));
    } catch (...) {
      answer(reply::failure(error_code::internal, "command failed"));
    }
  }

  void read_from(std::uint64_t conn_id, connection& c) {
    char buf[8192];
    for (;;) {
      auto n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.in.append(buf, static_cast<std::size_t>(n));
        c.last_activity = clock_type::now();
        if (c.in.size() > 4 * max_line_bytes)
          break;
        continue;
      }
      if (n == 0) {
        c.eof = true;
        c.close_after_flush = true;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        c.broken = true;
      break;
    }
    std::size_t start = 0;
    for (;;) {
      if (c.close_after_flush && !c.authorized)
        break;
      auto nl = c.in.find('\n', start);
      if (nl == std::string::npos)
        break;
      std::string line = c.in.substr(start, nl - start);
      start = nl + 1;
      if (line.empty() || line == "\r")
        continue;
      dispatch(conn_id, c, line);
    }
    c.in.erase(0, start);
    if (c.in.size() > max_line_bytes + 1) {
      refuse(c, std::nullopt, "", error_code::bad_request,
             "line longer than " + std::to_string(max_line_bytes) + " bytes");
      c.in.clear();
      c.close_after_flush = true;
    }
  }

  void flush(connection& c) {
    while (!c.out.empty()) {
      auto n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n > 0) {
        c.out.erase(0, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
      c.broken = true;
      return;
    }
  }

  void accept_all() {
    for (;;) {
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0)
        return;
      connection c;
      c.fd = fd;
      c.last_activity = clock_type::now();
      if (!read_peer_credentials(fd, c.peer)) {
        ::close(fd);
        continue;
      }
      c.authorized = peer_allowed(c.peer.uid, daemon_uid);
      if (conns.size() >= opts.max_clients) {
        refuse(c, std::nullopt, "", error_code::unavailable, "too many control clients");
        flush(c);
        ::close(fd);
        continue;
      }
      conns.emplace(next_conn++, std::move(c));
    }
  }

  void deliver_posted() {
    std::vector<posted_reply> batch;
    {
      std::lock_guard<std::mutex> lock(mailbox_mtx);
      batch.swap(mailbox);
    }
    for (auto& p : batch) {
      auto it = conns.find(p.conn);
      if (it == conns.end())
        continue;
      auto& c = it->second;
      auto pit = c.pending.find(p.seq);
      if (pit == c.pending.end())
        continue;  // timed out already, or answered twice
      send(c, pit->second.id, p.body);
      audit(c, pit->second.cmd, pit->second.id, p.body);
      c.pending.erase(pit);
    }
  }

  clock_type::time_point expire(clock_type::time_point now) {
    auto next = now + std::chrono::seconds(1);
    for (auto& [id, c] : conns) {
      for (auto it = c.pending.begin(); it != c.pending.end();) {
        if (it->second.deadline <= now) {
          refuse(c, it->second.id, it->second.cmd, error_code::timeout,
                 "command \"" + it->second.cmd + "\" did not answer in time");
          it = c.pending.erase(it);
        } else {
          next = std::min(next, it->second.deadline);
          ++it;
        }
      }
      if (c.pending.empty() && c.out.empty() && now - c.last_activity >= opts.idle_timeout)
        c.broken = true;
      if (c.close_after_flush && c.pending.empty() && c.out.empty())
        c.broken = true;
    }
    return next;
  }

  void loop() {
    std::vector<pollfd> fds;
    std::vector<std::uint64_t> ids;
    auto next_deadline = clock_type::now() + std::chrono::seconds(1);
    while (!stop_requested.load()) {
      fds.clear();
      ids.clear();
      fds.push_back({wake_fd, POLLIN, 0});
      fds.push_back({listen_fd, POLLIN, 0});
      for (auto& [id, c] : conns) {
        // Closing connections read no more: answer what is pending, flush, close.
        bool reading = !c.eof && !c.close_after_flush;
        short ev = static_cast<short>((reading ? POLLIN : 0) | (c.out.empty() ? 0 : POLLOUT));
        fds.push_back({c.fd, ev, 0});
        ids.push_back(id);
      }
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_deadline - clock_type::now()).count();
      ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait + 1, 0, 1000)));
      if (fds[0].revents & POLLIN) {
        std::uint64_t v;
        [[maybe_unused]] auto n = ::read(wake_fd, &v, sizeof v);
      }
      if (fds[1].revents & POLLIN)
        accept_all();
      for (std::size_t i = 0; i < ids.size(); ++i) {
        auto it = conns.find(ids[i]);
        if (it == conns.end())
          continue;
        auto re = fds[i + 2].revents;
        if ((it->second.eof || it->second.close_after_flush) && (re & (POLLHUP | POLLERR)))
          it->second.broken = true;  // gone entirely: nobody to answer
        else if (re & (POLLIN | POLLHUP | POLLERR))
          read_from(it->first, it->second);
      }
      deliver_posted();
      next_deadline = expire(clock_type::now());
      for (auto it = conns.begin(); it != conns.end();) {
        flush(it->second);
        if (it->second.broken || (it->second.close_after_flush && it->second.out.empty() && it->second.pending.empty())) {
          ::close(it->second.fd);
          it = conns.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
};

control_server::control_server(server_options opts) : impl_(std::make_shared<impl>(std::move(opts))) {}

control_server::~control_server() { stop(); }

bool control_server::register_command(std::string name, std::string description, command_handler handler,
                                      std::chrono::milliseconds timeout) {
  return impl_->commands.add(std::move(name), std::move(description), std::move(handler), timeout);
}

void control_server::unregister_command(const std::string& name) { impl_->commands.remove(name); }

std::vector<command_info> control_server::commands() const { return impl_->commands.list(); }

result<void, std::string> control_server::start() {
  if (impl_->is_running.load())
    return fail("control server already running");
  if (impl_->wake_fd < 0)
    return fail("eventfd failed");
  auto fd = listen_unix(impl_->opts.socket_path, 64, impl_->file_id);
  if (!fd)
    return std::move(fd).error();
  impl_->listen_fd = *fd;
  {
    std::lock_guard<std::mutex> lock(impl_->mailbox_mtx);
    impl_->accepting = true;
  }
  impl_->stop_requested = false;
  impl_->is_running = true;
  impl_->thread = std::thread([self = impl_] { self->loop(); });
  return {};
}

void control_server::stop() {
  if (!impl_->is_running.exchange(false))
    return;
  {
    std::lock_guard<std::mutex> lock(impl_->mailbox_mtx);
    impl_->accepting = false;
    impl_->mailbox.clear();
  }
  impl_->stop_requested = true;
  impl_->wake();
  if (impl_->thread.joinable())
    impl_->thread.join();
  for (auto& [id, c] : impl_->conns)
    ::close(c.fd);
  impl_->conns.clear();
  ::close(impl_->listen_fd);
  impl_->listen_fd = -1;
  unlink_if_same(impl_->opts.socket_path, impl_->file_id);
}

bool control_server::running() const { return impl_->is_running.load(); }

const std::string& control_server::socket_path() const { return impl_->opts.socket_path; }

} // namespace trader::control
