// Conformance of simex with a real third-party client: the npm package `ccxt` (coinbase class).
//
// Usage: node ccxt_conformance.mjs  (configured by the environment, see run.sh)
//   CCXT_DIR      directory whose node_modules holds ccxt (a cache outside the source tree)
//   SIMEX_REST    REST port of simex on 127.0.0.1 (plain http)
//   SIMEX_ADMIN   admin port of simex
//   KEY_NAME      API key name (also the JWT kid/sub)
//   KEY_FILE      SEC1 EC P-256 private key PEM (the format ccxt's JS ES256 signer parses)
//
// Every ccxt call must succeed and its values must agree with simex's own REST answers, fetched
// here directly with fetch() and a JWT signed by node:crypto (independent of ccxt). simex runs
// with a stepped clock, so the market does not move between a ccxt call and the direct read.
// One line per check ("ok"/"FAIL"); the exit status is 1 if any check failed.

import { createRequire } from 'node:module';
import { createPrivateKey, randomBytes, sign as cryptoSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`missing environment variable ${name}`);
    process.exit(2);
  }
  return v;
};
const CCXT_DIR = env('CCXT_DIR');
const REST_PORT = env('SIMEX_REST');
const ADMIN_PORT = env('SIMEX_ADMIN');
const KEY_NAME = env('KEY_NAME');
const PEM = readFileSync(env('KEY_FILE'), 'utf8');

const require = createRequire(path.join(path.resolve(CCXT_DIR), 'package.json'));
const ccxt = require('ccxt');

const BASE = `http://127.0.0.1:${REST_PORT}`;
const ADMIN = `http://127.0.0.1:${ADMIN_PORT}`;
const SYMBOL = 'BTC/USD';
const PRODUCT = 'BTC-USD';

// -- reporting --------------------------------------------------------------------------------

let failures = 0;
let passes = 0;
function check(name, cond, detail = '') {
  if (cond) {
    passes++;
    console.log(`ok   ${name}${detail ? ' — ' + detail : ''}`);
  } else {
    failures++;
    console.log(`FAIL ${name}${detail ? ' — ' + detail : ''}`);
  }
  return cond;
}
// Decimal strings/numbers compared as numbers with a relative tolerance (ccxt parses to floats).
function near(a, b, rel = 1e-9) {
  const x = Number(a), y = Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= rel * Math.max(1, Math.abs(x), Math.abs(y));
}
function eq(name, got, want, rel = 1e-9) {
  return check(name, near(got, want, rel), `ccxt=${got} simex=${want}`);
}
function same(name, got, want) {
  return check(name, got === want, `ccxt=${JSON.stringify(got)} simex=${JSON.stringify(want)}`);
}
// Runs one ccxt call; a throw is a failed check (and the step's dependent checks are skipped).
async function call(name, fn) {
  const t0 = Date.now();
  try {
    const r = await fn();
    check(`${name} succeeds`, true, `${Date.now() - t0} ms`);
    return r;
  } catch (e) {
    check(`${name} succeeds`, false, `${e.constructor?.name}: ${String(e.message).slice(0, 400)}`);
    return undefined;
  }
}

// -- direct REST to simex (JWT signed with node:crypto, not ccxt) -----------------------------

const KEY = createPrivateKey(PEM);
const b64url = (buf) => Buffer.from(buf).toString('base64url');
function jwt(method, urlPath) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'ES256', typ: 'JWT', kid: KEY_NAME, nonce: randomBytes(32).toString('hex') };
  const claims = { iss: 'cdp', sub: KEY_NAME, nbf: now, exp: now + 120, uri: `${method} 127.0.0.1:${REST_PORT}${urlPath}` };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = cryptoSign('sha256', Buffer.from(input), { key: KEY, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(sig)}`;
}
async function simex(method, pathAndQuery, body) {
  const urlPath = pathAndQuery.split('?')[0];
  const headers = { Authorization: `Bearer ${jwt(method, urlPath)}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(BASE + pathAndQuery, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`simex ${method} ${pathAndQuery} → ${r.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}
async function admin(method, p, body) {
  const r = await fetch(ADMIN + p, { method, body: body === undefined ? undefined : JSON.stringify(body),
                                     headers: body === undefined ? {} : { 'Content-Type': 'application/json' } });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`admin ${method} ${p} → ${r.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}
const V3 = '/api/v3/brokerage';
async function simexAccounts() {
  const out = {};
  let cursor = '';
  for (;;) {
    const r = await simex('GET', `${V3}/accounts?limit=250${cursor ? '&cursor=' + cursor : ''}`);
    for (const a of r.accounts) {
      const avail = Number(a.available_balance.value), hold = Number(a.hold.value);
      out[a.currency] = { free: avail, used: hold, total: avail + hold };
    }
    if (!r.has_next) break;
    cursor = r.cursor;
  }
  return out;
}
async function simexBest() {
  const r = await simex('GET', `${V3}/best_bid_ask?product_ids=${PRODUCT}`);
  const b = r.pricebooks.find((p) => p.product_id === PRODUCT);
  return { bid: Number(b.bids[0].price), bidSize: Number(b.bids[0].size), ask: Number(b.asks[0].price), askSize: Number(b.asks[0].size) };
}
const simexOrder = async (id) => (await simex('GET', `${V3}/orders/historical/${id}`)).order;

// -- the exchange object, pointed at simex ----------------------------------------------------

const exchange = new ccxt.coinbase({
  apiKey: KEY_NAME,
  secret: PEM,
  enableRateLimit: true,
  timeout: 10000,
  options: {
    // Advanced Trade v3 endpoints only (coinbase-api.md §9); simex has no v2.
    fetchBalance: 'v3PrivateGetBrokerageAccounts',
    fetchTime: 'v3PublicGetBrokerageTime',
  },
});
exchange.has['fetchCurrencies'] = false;  // loadMarkets would call /v2/currencies
// Every API URL of the object. coinbase has one REST base today; rewrite whatever is there so a
// newer ccxt with more entries (ws, …) never reaches coinbase.com.
for (const [k, v] of Object.entries(exchange.urls.api)) {
  if (typeof v === 'string' && k !== 'ws') exchange.urls.api[k] = BASE;
}
exchange.urls.api.rest = BASE;
if ('ws' in exchange.urls.api) exchange.urls.api.ws = `ws://127.0.0.1:${REST_PORT}`;

// Nothing may leave loopback: refuse any other host at the request hook as a safety net.
const origFetch = exchange.fetch.bind(exchange);
exchange.fetch = async (url, method, headers, body) => {
  if (!String(url).startsWith(BASE + '/')) throw new Error(`refusing non-simex URL ${url}`);
  return origFetch(url, method, headers, body);
};

console.log(`ccxt ${ccxt.version} against simex at ${BASE}`);

// -- the calls ----------------------------------------------------------------------------------

async function main() {
  // Let the stepped market run for 30 s of engine time (house trade flow, moving book), then
  // it stands still again while ccxt and the direct reads look at it.
  const adv = await admin('POST', '/clock/advance', { ms: 30000 });
  check('simex stepped clock advanced 30 s', true, JSON.stringify(adv));

  // fetchMarkets (loadMarkets) vs /market/products
  const markets = await call('fetchMarkets', () => exchange.fetchMarkets());
  if (markets) {
    const prods = (await fetch(`${BASE}${V3}/market/products`).then((r) => r.json())).products;
    const spotIds = new Set(prods.filter((p) => p.product_type === 'SPOT').map((p) => p.product_id));
    const mids = new Set(markets.filter((m) => m.spot).map((m) => m.id));
    check('fetchMarkets: same spot product ids as /market/products',
          spotIds.size > 0 && spotIds.size === mids.size && [...spotIds].every((id) => mids.has(id)),
          `ccxt=[${[...mids].join(',')}] simex=[${[...spotIds].join(',')}]`);
    for (const p of prods) {
      const m = markets.find((x) => x.id === p.product_id);
      if (!m) continue;
      same(`fetchMarkets ${p.product_id}: symbol`, m.symbol, `${p.base_currency_id}/${p.quote_currency_id}`);
      eq(`fetchMarkets ${p.product_id}: precision.amount = base_increment`, m.precision.amount, p.base_increment);
      eq(`fetchMarkets ${p.product_id}: precision.price = price_increment`, m.precision.price, p.price_increment ?? p.quote_increment);
      eq(`fetchMarkets ${p.product_id}: limits.amount.min = base_min_size`, m.limits.amount.min, p.base_min_size);
      eq(`fetchMarkets ${p.product_id}: limits.amount.max = base_max_size`, m.limits.amount.max, p.base_max_size);
      same(`fetchMarkets ${p.product_id}: active`, m.active, p.status === 'online' && !p.trading_disabled && !p.is_disabled);
    }
  }
  await call('loadMarkets', () => exchange.loadMarkets());

  // fetchTicker vs /best_bid_ask and /market/products/{id}/ticker
  const ticker = await call('fetchTicker', () => exchange.fetchTicker(SYMBOL));
  if (ticker) {
    const best = await simexBest();
    const trades = await fetch(`${BASE}${V3}/market/products/${PRODUCT}/ticker?limit=1`).then((r) => r.json());
    same('fetchTicker: symbol', ticker.symbol, SYMBOL);
    eq('fetchTicker: bid = best_bid_ask bid', ticker.bid, best.bid);
    eq('fetchTicker: ask = best_bid_ask ask', ticker.ask, best.ask);
    check('fetchTicker: simex has market trades', trades.trades?.length > 0, `${trades.trades?.length ?? 0} trades`);
    if (trades.trades?.length) {
      eq('fetchTicker: last = last market trade price', ticker.last, trades.trades[0].price);
      eq('fetchTicker: timestamp = last market trade time', ticker.timestamp, Date.parse(trades.trades[0].time));
    }
    check('fetchTicker: bid < ask', ticker.bid < ticker.ask, `${ticker.bid} < ${ticker.ask}`);
  }

  // fetchOrderBook vs /best_bid_ask and /market/product_book
  const book = await call('fetchOrderBook', () => exchange.fetchOrderBook(SYMBOL, 10));
  if (book) {
    const best = await simexBest();
    const pb = (await fetch(`${BASE}${V3}/market/product_book?product_id=${PRODUCT}&limit=10`).then((r) => r.json())).pricebook;
    check('fetchOrderBook: 10 levels a side', book.bids.length === 10 && book.asks.length === 10,
          `bids=${book.bids.length} asks=${book.asks.length}`);
    eq('fetchOrderBook: best bid = best_bid_ask bid', book.bids[0]?.[0], best.bid);
    eq('fetchOrderBook: best bid size = best_bid_ask bid size', book.bids[0]?.[1], best.bidSize);
    eq('fetchOrderBook: best ask = best_bid_ask ask', book.asks[0]?.[0], best.ask);
    eq('fetchOrderBook: best ask size = best_bid_ask ask size', book.asks[0]?.[1], best.askSize);
    const all = (side, mine, theirs) => mine.length === theirs.length
      && mine.every((l, i) => near(l[0], theirs[i].price) && near(l[1], theirs[i].size));
    check('fetchOrderBook: every level = /market/product_book', all('b', book.bids, pb.bids) && all('a', book.asks, pb.asks));
    check('fetchOrderBook: sorted (bids down, asks up)',
          book.bids.every((l, i) => i === 0 || l[0] < book.bids[i - 1][0]) && book.asks.every((l, i) => i === 0 || l[0] > book.asks[i - 1][0]));
  }

  // fetchOHLCV vs /market/products/{id}/candles
  const ohlcv = await call('fetchOHLCV', () => exchange.fetchOHLCV(SYMBOL, '1m', undefined, 30));
  if (ohlcv) {
    check('fetchOHLCV: some candles', ohlcv.length > 0, `${ohlcv.length} candles`);
    if (ohlcv.length > 0) {
      // The same request ccxt made (its start/end come from the wall clock), asked directly.
      const url = exchange.last_request_url;
      check('fetchOHLCV: ccxt asked /market/products/{id}/candles', String(url).includes(`${V3}/market/products/${PRODUCT}/candles?`), url);
      const c = (await fetch(url).then((r) => r.json())).candles;
      // ccxt sorts ascending and, without `since`, keeps the newest `limit` (filterByLimit); simex answers
      // every bucket whose start lies in [start, end], 31 for an unaligned 30-minute window.
      const want = c.map((x) => [Number(x.start) * 1000, x]).sort((a, b) => a[0] - b[0]).slice(-30);
      let bad = 0;
      ohlcv.forEach(([t, o, h, l, cl, v], i) => {
        const [ts, x] = want[i] ?? [undefined, {}];
        if (t !== ts || !near(o, x.open) || !near(h, x.high) || !near(l, x.low) || !near(cl, x.close) || !near(v, x.volume)) bad++;
      });
      check('fetchOHLCV: every candle = /candles (t,o,h,l,c,v), newest 30 of the answer', bad === 0 && want.length === ohlcv.length,
            `${ohlcv.length} ccxt, ${c.length} simex, ${bad} differ`);
      check('fetchOHLCV: ascending timestamps, 60 s apart', ohlcv.every((r, i) => i === 0 || r[0] - ohlcv[i - 1][0] === 60000));
    }
  }

  // fetchBalance vs /accounts
  const compareBalance = async (label, bal) => {
    const acc = await simexAccounts();
    for (const ccy of ['USD', 'BTC']) {
      if (!acc[ccy]) { check(`${label}: simex has a ${ccy} account`, false); continue; }
      eq(`${label}: ${ccy} free = available_balance`, bal[ccy]?.free, acc[ccy].free);
      eq(`${label}: ${ccy} used = hold`, bal[ccy]?.used, acc[ccy].used);
      eq(`${label}: ${ccy} total`, bal[ccy]?.total, acc[ccy].total);
    }
    return acc;
  };
  const bal0 = await call('fetchBalance', () => exchange.fetchBalance());
  if (bal0) {
    await compareBalance('fetchBalance', bal0);
    check('fetchBalance: USD > 0', bal0.USD?.free > 0, `USD free ${bal0.USD?.free}`);
  }

  const tick = exchange.markets[SYMBOL].precision.price;
  const best0 = await simexBest();

  // createOrder: a limit post-only buy well below the best bid, which rests
  const amount = 0.001;
  const limitPrice = Number(exchange.priceToPrecision(SYMBOL, best0.bid - 200 * tick));
  const limit = await call('createOrder (limit, postOnly, rests)',
                           () => exchange.createOrder(SYMBOL, 'limit', 'buy', amount, limitPrice, { postOnly: true }));
  let limitId;
  if (limit) {
    limitId = limit.id;
    check('createOrder limit: has an id', typeof limitId === 'string' && limitId.length > 0, limitId);
    const o = await simexOrder(limitId);
    same('createOrder limit: simex knows the order, OPEN', o.status, 'OPEN');
    same('createOrder limit: client_order_id = ccxt clientOrderId', limit.clientOrderId, o.client_order_id);
    const cfg = o.order_configuration.limit_limit_gtc;
    check('createOrder limit: simex stored limit_limit_gtc post_only', cfg && cfg.post_only === true, JSON.stringify(o.order_configuration));
    eq('createOrder limit: price', limitPrice, cfg?.limit_price);
    eq('createOrder limit: amount', amount, cfg?.base_size);
    same('createOrder limit: side', o.side, 'BUY');
  }

  // createOrder: a post-only buy at the best ask would take, so simex refuses it
  // (success:false + error_response INVALID_LIMIT_PRICE_POST_ONLY) and ccxt must throw.
  {
    const openBefore = (await simex('GET', `${V3}/orders/historical/batch?order_status=OPEN&product_id=${PRODUCT}&limit=100`)).orders.length;
    let err;
    try {
      await exchange.createOrder(SYMBOL, 'limit', 'buy', amount, best0.ask, { postOnly: true });
    } catch (e) {
      err = e;
    }
    check('createOrder (postOnly crossing) is refused: ccxt throws', err !== undefined && err instanceof ccxt.ExchangeError,
          err ? `${err.constructor.name}: ${String(err.message).slice(0, 200)}` : 'no error');
    check('createOrder (postOnly crossing): reason INVALID_LIMIT_PRICE_POST_ONLY', String(err?.message).includes('INVALID_LIMIT_PRICE_POST_ONLY'));
    const openAfter = (await simex('GET', `${V3}/orders/historical/batch?order_status=OPEN&product_id=${PRODUCT}&limit=100`)).orders.length;
    check('createOrder (postOnly crossing): no order created in simex', openAfter === openBefore, `open orders before=${openBefore} after=${openAfter}`);
  }

  // fetchOrder (the resting limit order)
  if (limitId) {
    const fo = await call('fetchOrder (open limit)', () => exchange.fetchOrder(limitId, SYMBOL));
    if (fo) {
      const o = await simexOrder(limitId);
      same('fetchOrder limit: id', fo.id, o.order_id);
      same('fetchOrder limit: status open (simex OPEN)', fo.status, o.status === 'OPEN' ? 'open' : o.status);
      same('fetchOrder limit: type', fo.type, 'limit');
      same('fetchOrder limit: side', fo.side, 'buy');
      same('fetchOrder limit: postOnly', fo.postOnly, true);
      eq('fetchOrder limit: price', fo.price, o.order_configuration.limit_limit_gtc.limit_price);
      eq('fetchOrder limit: amount', fo.amount, o.order_configuration.limit_limit_gtc.base_size);
      eq('fetchOrder limit: filled', fo.filled, o.filled_size);
      eq('fetchOrder limit: remaining', fo.remaining, Number(o.order_configuration.limit_limit_gtc.base_size) - Number(o.filled_size));
      same('fetchOrder limit: symbol', fo.symbol, SYMBOL);
    }
    const balHold = await call('fetchBalance (with the limit order resting)', () => exchange.fetchBalance());
    if (balHold) {
      const acc = await compareBalance('fetchBalance with hold', balHold);
      check('fetchBalance with hold: USD hold > 0 for the resting buy', acc.USD.used > 0 && balHold.USD.used > 0, `used ${balHold.USD.used}`);
    }
  }

  // fetchOpenOrders vs /orders/historical/batch?order_status=OPEN
  const open = await call('fetchOpenOrders', () => exchange.fetchOpenOrders(SYMBOL));
  if (open) {
    const r = await simex('GET', `${V3}/orders/historical/batch?order_status=OPEN&product_id=${PRODUCT}&limit=100`);
    const ids = new Set(r.orders.map((o) => o.order_id));
    check('fetchOpenOrders: includes the limit order', limitId !== undefined && open.some((o) => o.id === limitId));
    check('fetchOpenOrders: same ids as simex OPEN orders', open.length === ids.size && open.every((o) => ids.has(o.id)),
          `ccxt=${open.length} simex=${ids.size}`);
    check('fetchOpenOrders: all status open', open.every((o) => o.status === 'open'));
  }

  // createOrder: a market buy (ccxt sends quote_size = amount × price)
  const balBefore = await simexAccounts();
  const best1 = await simexBest();
  const mkt = await call('createOrder (market buy)', () => exchange.createOrder(SYMBOL, 'market', 'buy', amount, best1.ask));
  let mktId;
  if (mkt) {
    mktId = mkt.id;
    const o = await simexOrder(mktId);
    same('createOrder market: simex order FILLED', o.status, 'FILLED');
    const cfg = o.order_configuration.market_market_ioc;
    check('createOrder market: market_market_ioc', !!cfg, JSON.stringify(o.order_configuration));
    eq('createOrder market: quote_size = amount × price', cfg?.quote_size, exchange.costToPrecision(SYMBOL, amount * best1.ask));
    const fm = await call('fetchOrder (filled market)', () => exchange.fetchOrder(mktId, SYMBOL));
    if (fm) {
      same('fetchOrder market: status closed (simex FILLED)', fm.status, 'closed');
      same('fetchOrder market: type', fm.type, 'market');
      eq('fetchOrder market: filled = filled_size', fm.filled, o.filled_size);
      eq('fetchOrder market: average = average_filled_price', fm.average, o.average_filled_price);
      eq('fetchOrder market: fee = total_fees', fm.fee?.cost, o.total_fees);
      check('fetchOrder market: filled > 0', fm.filled > 0, `${fm.filled}`);
    }
    // balances changed by exactly the fills
    const balAfter = await call('fetchBalance (after the market order)', () => exchange.fetchBalance());
    if (balAfter) {
      await compareBalance('fetchBalance after market', balAfter);
      eq('fetchBalance after market: BTC grew by filled_size', balAfter.BTC.total - balBefore.BTC.total, o.filled_size, 1e-6);
      eq('fetchBalance after market: USD fell by total_value_after_fees', balBefore.USD.total - balAfter.USD.total,
         o.total_value_after_fees, 1e-6);
    }
  }

  // fetchMyTrades vs /orders/historical/fills
  const trades = await call('fetchMyTrades', () => exchange.fetchMyTrades(SYMBOL));
  if (trades && mktId) {
    const f = (await simex('GET', `${V3}/orders/historical/fills?order_ids=${mktId}&limit=100`)).fills;
    const mine = trades.filter((t) => t.order === mktId);
    check('fetchMyTrades: the market order\'s fills appear', mine.length > 0 && mine.length === f.length,
          `ccxt=${mine.length} simex=${f.length}`);
    for (const t of mine) {
      const x = f.find((y) => y.trade_id === t.id || y.entry_id === t.id);
      if (!check(`fetchMyTrades ${t.id}: known to simex`, !!x)) continue;
      eq(`fetchMyTrades ${t.id}: price`, t.price, x.price);
      // A quote-sized market buy's fills carry size in quote (size_in_quote, as Coinbase sends
      // them); ccxt converts to base at the fill price, as a Coinbase client must.
      if (x.size_in_quote)
        eq(`fetchMyTrades ${t.id}: amount = size / price (size_in_quote)`, t.amount, Number(x.size) / Number(x.price), 1e-9);
      else
        eq(`fetchMyTrades ${t.id}: amount`, t.amount, x.size);
      eq(`fetchMyTrades ${t.id}: fee`, t.fee?.cost, x.commission);
      same(`fetchMyTrades ${t.id}: side`, t.side, 'buy');
      same(`fetchMyTrades ${t.id}: takerOrMaker`, t.takerOrMaker, 'taker');
    }
    const o = await simexOrder(mktId);
    eq('fetchMyTrades: amounts sum to filled_size', mine.reduce((s, t) => s + t.amount, 0), o.filled_size, 1e-9);
  }

  // cancelOrder (the resting limit order)
  if (limitId) {
    const c = await call('cancelOrder', () => exchange.cancelOrder(limitId, SYMBOL));
    if (c) {
      same('cancelOrder: id', c.id, limitId);
      const o = await simexOrder(limitId);
      same('cancelOrder: simex order CANCELLED', o.status, 'CANCELLED');
      const fo = await call('fetchOrder (cancelled)', () => exchange.fetchOrder(limitId, SYMBOL));
      if (fo) same('fetchOrder cancelled: status canceled', fo.status, 'canceled');
      const open2 = await call('fetchOpenOrders (after cancel)', () => exchange.fetchOpenOrders(SYMBOL));
      if (open2) check('fetchOpenOrders after cancel: limit order gone', !open2.some((x) => x.id === limitId));
      const bal = await call('fetchBalance (after cancel)', () => exchange.fetchBalance());
      if (bal) {
        const acc = await compareBalance('fetchBalance after cancel', bal);
        eq('fetchBalance after cancel: USD hold released', bal.USD.used, 0);
        eq('fetchBalance after cancel: simex USD hold 0', acc.USD.used, 0);
      }
    }
  }

  // Everything went through simex and was authenticated with our key.
  const stats = await admin('GET', '/stats');
  const n = stats.by_key?.[KEY_NAME] ?? 0;
  check('simex /stats: ccxt\'s requests were authenticated with the test key', n > 0, `${n} authenticated requests`);
  const rejected = Object.values(stats.auth_rejected ?? {}).reduce((s, x) => s + x, 0);
  check('simex /stats: no JWT rejected', rejected === 0, JSON.stringify(stats.auth_rejected ?? {}));
}

try {
  await main();
} catch (e) {
  check('conformance run (unexpected exception)', false, `${e.constructor?.name}: ${e.stack}`);
}
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
