// A child process for the state fault tests.
//   state_fault_helper writer DIR        writes orders and fills forever, reporting each
//                                        committed record on stdout ("O 7", "F 7", "U 7")
//   state_fault_helper writer-nosync DIR the same with fsync switched off (MDB_NOSYNC), for the
//                                        test proving the durability check can fail
//   state_fault_helper one-intent DIR    records one intent and then a second one, printing
//                                        the outcome of each ("RESULT ok", "SECOND store_failed")
//   state_fault_helper lock-verify DIR   takes the instance lock, prints "LOCKED", then runs
//                                        verify_in_child (the daemon's order at start)
//   state_fault_helper verify-child DIR PPID   what `traderctl state verify --child` runs
//   state_fault_helper spawn-verify DIR  verifies through verify_process (posix_spawn of
//                                        itself as verify-child), printing "SPAWNED <pid>"
// The tests SIGKILL the writer at random moments (or cut its power: the durability test)
// and run one-intent under fiu-run.

#include "runtime/persistence/instance_lock.hpp"
#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/verify_spawn.hpp"
#include "temp_dir.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;

namespace {

void say(const std::string& line) {
  auto s = line + "\n";
  if (::write(1, s.data(), s.size()) < 0)
    _exit(9);
}

int writer(const std::string& dir, bool no_sync) {
  store_options opts;
  opts.map_size = std::size_t{64} << 20;
  opts.no_sync = no_sync;
  auto s = open_store(dir, opts);
  if (!s) {
    say("OPENFAIL " + s.error().describe());
    return 3;
  }
  auto& store = **s;
  auto counts = store.counts();
  if (!counts) {
    say("OPENFAIL " + counts.error().describe());
    return 3;
  }
  int i = static_cast<int>(counts->at("orders"));
  say("READY " + std::to_string(i));
  for (;; ++i) {
    if (auto r = store.record_order_intent(make_order(i)); !r) {
      say("FAIL " + r.error().describe());
      return 4;
    }
    say("O " + std::to_string(i));
    auto f = make_fill(i);
    write_batch then;
    then.put(position_record{f.product, f.qty, f.px, f.fee, {}, f.ts_recv});
    then.add_realized_pnl(f.ts_event, notional::from_units(i), f.fee);
    auto fr = store.record_fill(f, then);
    if (!fr || *fr != fill_insert::inserted) {
      say("FAIL fill " + (fr ? std::string("duplicate") : fr.error().describe()));
      return 4;
    }
    say("F " + std::to_string(i));
    auto o = make_order(i);
    o.status = order_status::filled;
    o.filled_qty = size::from_units(f.qty.units);
    o.exchange_id = f.exchange_order;
    if (auto r = store.update_order(o); !r) {
      say("FAIL " + r.error().describe());
      return 4;
    }
    say("U " + std::to_string(i));
  }
}

int one_intent(const std::string& dir) {
  store_options opts;
  opts.map_size = std::size_t{64} << 20;
  auto s = open_store(dir, opts);
  if (!s) {
    say("OPENFAIL " + s.error().describe());
    return 3;
  }
  auto r = (*s)->record_order_intent(make_order(1000));
  say(std::string("RESULT ") + (r ? "ok" : to_string(r.error().code)));
  if (!r)
    say("DETAIL " + r.error().describe());
  auto r2 = (*s)->record_order_intent(make_order(1001));
  say(std::string("SECOND ") + (r2 ? "ok" : to_string(r2.error().code)));
  return 0;
}

int lock_verify(const std::string& dir) {
  auto lock = instance_lock::acquire(dir);
  if (!lock) {
    say("LOCKFAIL " + lock.error().describe());
    return 3;
  }
  say("LOCKED");
  auto rep = verify_in_child(dir, std::chrono::seconds{120});
  say(std::string("VERIFIED ") + (rep.ok() ? "ok" : rep.to_error().describe()));
  return 0;
}

int spawn_verify(const std::string& dir) {
  char self[4096] = {};
  if (::readlink("/proc/self/exe", self, sizeof self - 1) <= 0)
    return 3;
  auto p = verify_process::start({self, "verify-child", dir, std::to_string(::getpid())}, dir, std::chrono::seconds{120});
  if (!p) {
    say("SPAWNFAIL " + p.error().describe());
    return 3;
  }
  say("SPAWNED " + std::to_string(p->pid()));
  auto rep = p->wait();
  say(std::string("VERIFIED ") + (rep.ok() ? "ok" : rep.to_error().describe()));
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s writer|writer-nosync|one-intent|lock-verify DIR | verify-child DIR PPID\n",
                 argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  if (mode == "writer")
    return writer(argv[2], false);
  if (mode == "writer-nosync")
    return writer(argv[2], true);
  if (mode == "one-intent")
    return one_intent(argv[2]);
  if (mode == "lock-verify")
    return lock_verify(argv[2]);
  if (mode == "spawn-verify")
    return spawn_verify(argv[2]);
  if (mode == "verify-child" && argc == 4)
    return run_verify_child(argv[2], static_cast<pid_t>(std::atol(argv[3])));
  return 2;
}
