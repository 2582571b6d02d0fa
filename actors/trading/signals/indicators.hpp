#pragma once
// Technical indicators as pure functions over spans of doubles (oldest first). Each returns
// the full series of values it can compute; value j belongs to the input index written in
// its brief (the "first index"), so out.back() is always the value at the newest input.
// Formulas and seeding follow Wilder (RSI, ATR) and the usual SMA-seeded EMA, the same
// conventions as npm technicalindicators 3.1 (without its 2-decimal RSI rounding). No CAF.

#include "actors/trading/signals/bar.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace trader::signals {

/// Simple moving average over n: out[j] = (x[j] + … + x[j+n-1]) / n. First index n-1.
std::vector<double> sma(std::span<const double> x, std::size_t n);
/// Exponential moving average, k = 2/(n+1), seeded with the SMA of the first n values:
/// e_0 = sma(x[0..n-1]); e_j = e_{j-1} + k·(x[n-1+j] − e_{j-1}). First index n-1.
std::vector<double> ema(std::span<const double> x, std::size_t n);
/// Wilder's RSI over n: gains g_i = max(x_i − x_{i−1}, 0), losses l_i = max(x_{i−1} − x_i, 0);
/// G, L seeded with the mean of the first n; then G = (G·(n−1) + g)/n (likewise L);
/// RSI = 100 − 100/(1 + G/L), 100 when L = 0, 0 when G = 0. First index n.
std::vector<double> rsi(std::span<const double> x, std::size_t n);
/// rsi(x, n).back() without the series (NaN when x is too short): the decision cycle's form.
double rsi_last(std::span<const double> x, std::size_t n);
/// Wilder's ATR over n: TR_i = max(h_i − l_i, |h_i − c_{i−1}|, |l_i − c_{i−1}|) for i ≥ 1;
/// A seeded with the mean of TR_1..TR_n, then A = (A·(n−1) + TR)/n. First index n.
std::vector<double> atr(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                        std::size_t n);
/// Rate of change over n, percent: 100·(x_i − x_{i−n})/x_{i−n}. First index n.
std::vector<double> roc(std::span<const double> x, std::size_t n);
/// Highest value of each window of n. First index n-1.
std::vector<double> rolling_high(std::span<const double> x, std::size_t n);
/// Lowest value of each window of n. First index n-1.
std::vector<double> rolling_low(std::span<const double> x, std::size_t n);

/// Simple returns r_i = x_i/x_{i−1} − 1. First index 1.
std::vector<double> simple_returns(std::span<const double> x);
/// Log returns ln(x_i/x_{i−1}). First index 1.
std::vector<double> log_returns(std::span<const double> x);
/// Pearson correlation of two equally long samples: cov(a,b)/(σ_a·σ_b). NaN when fewer than
/// two values, lengths differ, or a sample is constant.
double pearson(std::span<const double> a, std::span<const double> b);
/// Pearson correlation of the simple returns of the newest n+1 prices of each series
/// (aligned at the newest end). NaN when either has fewer than n+1 prices or n < 2.
double return_correlation(std::span<const double> a, std::span<const double> b, std::size_t n);
/// Realized volatility: sample standard deviation (divisor n−1) of the newest n log returns,
/// times √periods_per_year (1 for per-bar volatility; 525600 for 1-minute bars per year).
/// NaN when fewer than n+1 prices or n < 2.
double realized_volatility(std::span<const double> x, std::size_t n, double periods_per_year = 1.0);

/// Closes of bars, as doubles.
std::vector<double> closes(std::span<const bar> bars);
/// Highs of bars.
std::vector<double> highs(std::span<const bar> bars);
/// Lows of bars.
std::vector<double> lows(std::span<const bar> bars);
/// Volumes of bars.
std::vector<double> volumes(std::span<const bar> bars);
/// Wilder's ATR over bars.
std::vector<double> atr(std::span<const bar> bars, std::size_t n);
/// atr(bars, n).back() without copying the bars' fields (NaN when too few bars).
double atr_last(std::span<const bar> bars, std::size_t n);

} // namespace trader::signals
