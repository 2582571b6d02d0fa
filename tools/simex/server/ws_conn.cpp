// One WebSocket connection after the upgrade: simex writes and parses the frames itself.
// Every frame ready for the connection goes out in one socket write (one syscall per message
// would cap the fan-out far below 500 k/s); a reader more than ws_max_pending_bytes behind
// is disconnected. The backend's ws_handler speaks the protocol; this class moves bytes and
// carries out the WS faults (drop, gap) and the benchmark flood.
#include "tools/simex/api/ws_api.hpp"
#include "tools/simex/server/connection.hpp"
#include "tools/simex/server/ws_frame.hpp"

#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <cstring>

namespace trader::simex::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t ws_max_frame = 1u << 20;
constexpr std::size_t flood_batch_bytes = 256u << 10;

template <class Stream>
class ws_conn final : public ws_peer, public std::enable_shared_from_this<ws_conn<Stream>> {
public:
  ws_conn(server::impl& srv, Stream stream, std::uint64_t id) : srv_(srv), stream_(std::move(stream)), id_(id) {}

  ~ws_conn() override {
    if (!srv_.closing) {
      srv_.ws_peers.erase(id_);
      --srv_.stats.ws_open;
    }
  }

  void start(std::string_view accept_key, std::string_view target, std::string_view leftover) {
    ++srv_.stats.ws_connections;
    ++srv_.stats.ws_open;
    opened_ = mono_now();
    ws_ = srv_.be->open_ws([&srv = srv_](std::string_view jwt) -> std::optional<std::string> {
      auto check = srv.verifier.verify_ws(jwt, wall_now());
      if (!check.ok()) {
        ++srv.stats.auth_rejected[net::to_string(check.status)];
        srv.log->info("event=ws_auth status={} key={} detail=\"{}\"", net::to_string(check.status),
                      check.key_name.empty() ? "-" : check.key_name, check.detail);
        return std::nullopt;
      }
      return check.key_name;
    });
    srv_.ws_peers.emplace(id_, std::weak_ptr<ws_peer>(this->shared_from_this()));
    srv_.log->info("event=ws_open conn={} target={}", id_, target);
    in_.resize(std::max<std::size_t>(leftover.size(), 16384));
    std::memcpy(in_.data(), leftover.data(), leftover.size());
    in_len_ = leftover.size();
    pending_ = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: ";
    pending_ += accept_key;
    pending_ += "\r\n\r\n";
    flush();
    if (in_len_ > 0)
      parse_frames();
    read();
  }

  // -- ws_peer ------------------------------------------------------------------------
  void step(ts_ns now, bool tick, mono_ns mono) override {
    if (closing_)
      return;
    if (tick && !ws_->has_subscribed()
        && mono - opened_ > std::int64_t{srv_.cfg.subscribe_deadline_ms} * ns_per_ms) {
      ++srv_.stats.ws_deadline_disconnects;
      srv_.log->info("event=ws_subscribe_deadline conn={}", id_);
      close(1008);
      return;
    }
    out_.clear();
    ws_->on_events(now, out_);
    if (tick)
      ws_->on_tick(now, out_);
    send_frames();
    if (ws_->wants_close())
      drop();
  }

  void drop() override {
    srv_.log->info("event=ws_drop conn={}", id_);
    closing_ = true;
    abort_socket(beast::get_lowest_layer(stream_));
  }

  void gap() override { ws_->skip_sequence(); }

  void flood(std::uint64_t n, std::size_t size) override {
    flood_left_ += n;
    flood_size_ = size;
    refill();
  }

private:
  void read() {
    if (closing_)
      return;
    if (in_.size() - in_len_ < 4096)
      in_.resize(in_len_ + 16384);
    stream_.async_read_some(asio::buffer(in_.data() + in_len_, in_.size() - in_len_),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) {
                                self->closing_ = true;
                                return;
                              }
                              self->in_len_ += n;
                              self->parse_frames();
                              self->read();
                            });
  }

  void parse_frames() {
    std::size_t pos = 0;
    auto now = srv_.clock.now();
    while (!closing_) {
      ws_frame f;
      std::size_t used = 0;
      auto r = ws_parse_frame(in_.data() + pos, in_len_ - pos, true, ws_max_frame, f, used);
      if (r == ws_parse::need_more)
        break;
      if (r == ws_parse::error) {
        srv_.log->info("event=ws_protocol_error conn={}", id_);
        close(1002);
        return;
      }
      pos += used;
      ++srv_.stats.ws_frames_in;
      out_.clear();
      switch (f.opcode) {
        case ws_opcode::text:
        case ws_opcode::binary:
        case ws_opcode::continuation:
          if (f.opcode != ws_opcode::continuation)
            text_.clear();
          text_.append(f.payload);
          if (f.fin) {
            srv_.log->info("event=ws_message conn={} bytes={}", id_, text_.size());
            ws_->on_text(text_, now, out_);
            if (ws_->wants_close()) {
              send_frames();
              drop();
              return;
            }
          }
          break;
        case ws_opcode::ping:
          ws_append_frame(pending_, ws_opcode::pong, f.payload);
          break;
        case ws_opcode::close:
          close(1000);
          return;
        case ws_opcode::pong:
          break;
      }
      send_frames();
    }
    if (pos > 0) {
      std::memmove(in_.data(), in_.data() + pos, in_len_ - pos);
      in_len_ -= pos;
    }
  }

  void send_frames() {
    if (closing_)
      return;
    for (const auto& frame : out_)
      ws_append_frame(pending_, ws_opcode::text, frame);
    srv_.stats.ws_frames_out += out_.size();
    out_.clear();
    if (pending_.size() > srv_.cfg.ws_max_pending_bytes) {
      ++srv_.stats.ws_slow_disconnects;
      srv_.log->warn("event=ws_slow_consumer conn={} pending_bytes={}", id_, pending_.size());
      closing_ = true;
      abort_socket(beast::get_lowest_layer(stream_));
      return;
    }
    flush();
  }

  void close(std::uint16_t code) {
    if (closing_)
      return;
    char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
    ws_append_frame(pending_, ws_opcode::close, std::string_view(payload, 2));
    close_after_flush_ = true;
    flush();
    closing_ = true;
  }

  /// Appends flood frames while the outgoing buffer is small, then writes.
  void refill() {
    while (flood_left_ > 0 && pending_.size() < flood_batch_bytes && !closing_) {
      ws_append_frame(pending_, ws_opcode::text, flood_writer_.flood(flood_seq_++, flood_size_));
      --flood_left_;
      ++srv_.stats.ws_frames_out;
    }
    flush();
  }

  void flush() {
    if (writing_ || pending_.empty())
      return;
    writing_ = true;
    writing_buf_.swap(pending_);
    pending_.clear();
    asio::async_write(stream_, asio::buffer(writing_buf_),
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        self->writing_ = false;
                        self->writing_buf_.clear();
                        if (ec) {
                          self->closing_ = true;
                          return;
                        }
                        if (self->flood_left_ > 0)
                          self->refill();
                        else if (!self->pending_.empty())
                          self->flush();
                        else if (self->close_after_flush_) {
                          beast::error_code ignored;
                          beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_send,
                                                                                   ignored);
                        }
                      });
  }

  server::impl& srv_;
  Stream stream_;
  std::uint64_t id_;
  std::unique_ptr<ws_handler> ws_;
  mono_ns opened_ = 0;
  std::vector<char> in_;
  std::size_t in_len_ = 0;
  std::string text_, pending_, writing_buf_;
  std::vector<std::string> out_;
  bool writing_ = false, closing_ = false, close_after_flush_ = false;
  std::uint64_t flood_left_ = 0, flood_seq_ = 0;
  std::size_t flood_size_ = 0;
  ws_writer flood_writer_;
};

} // namespace

template <class Stream>
void serve_ws(server::impl& srv, Stream stream, std::uint64_t id, std::string_view accept_key,
              std::string_view target, std::string_view leftover) {
  // cppcheck-suppress accessMoved ; false positive: stream is moved once, here, and not read after
  std::make_shared<ws_conn<Stream>>(srv, std::move(stream), id)->start(accept_key, target, leftover);
}

template void serve_ws<plain_stream>(server::impl&, plain_stream, std::uint64_t, std::string_view,
                                     std::string_view, std::string_view);
template void serve_ws<tls_stream>(server::impl&, tls_stream, std::uint64_t, std::string_view, std::string_view,
                                   std::string_view);

} // namespace trader::simex::transport
