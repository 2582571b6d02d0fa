// traderd: the 247trader daemon. See docs/operations.md.

#include "tools/traderd/daemon.hpp"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  trader::daemon::daemon_options opts;
  CLI::App app{"traderd — 24/7 crypto trading daemon for Coinbase (DRY_RUN by default)"};
  app.add_option("-c,--config", opts.config_dir, "Configuration directory (app.toml inside)")
    ->capture_default_str();
  app.add_flag("--confirm-live", opts.confirm_live,
               "Confirm LIVE trading with real orders (or TRADER_CONFIRM_LIVE=yes)");
  app.add_flag("--print-tree", opts.print_tree, "Print the supervision tree and exit");
  app.add_option("--log-level", opts.log_level, "trace, debug, info, warn, error, critical")
    ->capture_default_str();
  app.add_option("--record-market", opts.record_market_dir,
                 "Record every public trade of the feed (backtest run --data) and risk's inputs and decisions "
                 "(backtest replay) here (JSONL, rotated)");
  app.set_version_flag("--version", "traderd 0.1.0");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    auto rc = app.exit(e);
    return rc == 0 ? 0 : trader::daemon::exit_usage;
  }
  return trader::daemon::run_traderd(opts);
}
