/*
 * Schema migrations as data (design §6 "Schema migrations are versioned").
 * Each entry runs once, in its own transaction, in version order; the applied
 * versions are recorded in `schema_migrations` and mirrored in PRAGMA
 * user_version. Never edit a shipped migration: append a new one.
 *
 * Conventions: ids are text (UUIDs; trade ids are AssetPay's), wall-clock
 * timestamps are ISO-8601 text, scheduling times (`next_attempt_at`,
 * `next_poll_at`, `wait_until`) are epoch milliseconds so they sort and compare
 * as integers. Money is integer cents; `price_usd` is the dollar number exactly
 * as the inventory gave it (a REAL round-trips every JSON double bit for bit).
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,            -- JSON, zod-parsed on read
  updated_at TEXT NOT NULL
);

CREATE TABLE accounts (
  id          TEXT PRIMARY KEY,
  label       TEXT NOT NULL,
  trade_url   TEXT NOT NULL,
  steam_id64  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  last_check  TEXT,                    -- JSON {at,state,canTrade,message}
  removed_at  TEXT                     -- soft delete: batches and trades keep pointing here
);
CREATE UNIQUE INDEX accounts_trade_url_live ON accounts(trade_url) WHERE removed_at IS NULL;

CREATE TABLE inventory_snapshots (
  account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  game           TEXT NOT NULL,
  fetched_at     TEXT NOT NULL,
  count          INTEGER NOT NULL,     -- the API's count
  api_updated_at TEXT,                 -- the API's updatedAt (its cache time)
  item_count     INTEGER NOT NULL,     -- rows stored
  PRIMARY KEY (account_id, game)
);

CREATE TABLE inventory_items (
  account_id         TEXT NOT NULL,
  game               TEXT NOT NULL,
  item_id            TEXT NOT NULL,
  name               TEXT NOT NULL,
  market_hash_name   TEXT NOT NULL,
  type               TEXT NOT NULL,
  exterior           TEXT,
  wear               TEXT,
  rarity             TEXT,
  color              TEXT,
  icon_url           TEXT NOT NULL,
  tradable           INTEGER NOT NULL,
  accepted           INTEGER NOT NULL,
  price_usd          REAL,             -- offer.price exactly as given; NULL when no offer
  price_cents        INTEGER,
  market_price_cents INTEGER,
  amount             INTEGER NOT NULL,
  max_amount         INTEGER,
  raw                TEXT NOT NULL,    -- the item's JSON as received
  PRIMARY KEY (account_id, game, item_id),
  FOREIGN KEY (account_id, game) REFERENCES inventory_snapshots(account_id, game) ON DELETE CASCADE
);
CREATE INDEX inventory_items_price ON inventory_items(account_id, game, price_cents);

CREATE TABLE plans (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('draft','armed','submitted','archived')),
  options    TEXT NOT NULL,            -- JSON PlanOptions
  revision   INTEGER NOT NULL DEFAULT 0, -- bumped by every change of items or options
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE plan_items (
  plan_id     TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  game        TEXT NOT NULL,
  item_id     TEXT NOT NULL,
  name        TEXT NOT NULL,
  price_usd   REAL NOT NULL CHECK (price_usd > 0),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  amount      INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 10000),
  UNIQUE (plan_id, account_id, game, item_id)
);
CREATE INDEX plan_items_item ON plan_items(item_id);

CREATE TABLE preflights (
  id            TEXT PRIMARY KEY,
  plan_id       TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  checked_at    TEXT NOT NULL,
  summary       TEXT,                  -- JSON {counts, needsConfirmation}; NULL while the check is still running
  plan_revision INTEGER NOT NULL,      -- the plan revision it was checked against (then: accepted as)
  accepted_at   TEXT,
  confirmation  TEXT                   -- JSON SellConfirmation, set on acceptance
);
CREATE INDEX preflights_plan ON preflights(plan_id, checked_at);

-- One row per planned item (a 100,000-item plan is applied in SQL, not parsed from one JSON blob).
CREATE TABLE preflight_rows (
  preflight_id  TEXT NOT NULL REFERENCES preflights(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  account_id    TEXT NOT NULL,
  game          TEXT NOT NULL,
  item_id       TEXT NOT NULL,
  name          TEXT NOT NULL,
  change        TEXT NOT NULL CHECK (change IN ('unchanged','price-up','price-down','unavailable','not-accepted')),
  planned_cents INTEGER NOT NULL,
  current_cents INTEGER,
  change_cents  INTEGER,
  change_bp     INTEGER,
  auto_accepted INTEGER NOT NULL,
  price_usd     REAL,                  -- the price to send if kept, exactly as the re-fetched inventory gave it
  PRIMARY KEY (preflight_id, seq)
);
CREATE INDEX preflight_rows_item ON preflight_rows(preflight_id, account_id, game, item_id);

CREATE TABLE runs (
  id           TEXT PRIMARY KEY,
  plan_id      TEXT NOT NULL REFERENCES plans(id),
  preflight_id TEXT REFERENCES preflights(id),
  state        TEXT NOT NULL CHECK (state IN ('armed','running','paused','waiting','attention','finished','canceled')),
  message      TEXT,
  wait_until   INTEGER,                -- engine back-off for the whole run (bots, maintenance…)
  wait_streak  INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX runs_state ON runs(state);

CREATE TABLE batches (
  id                 TEXT PRIMARY KEY,
  run_id             TEXT NOT NULL REFERENCES runs(id),
  plan_id            TEXT NOT NULL REFERENCES plans(id),
  seq                INTEGER NOT NULL,
  account_id         TEXT NOT NULL REFERENCES accounts(id),
  game               TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('draft','queued','sending','unknown','created','tracking','settled','needs-review','blocked','skipped','canceled')),
  attempt            INTEGER NOT NULL CHECK (attempt >= 1),
  external_id        TEXT NOT NULL UNIQUE,
  request_body       TEXT NOT NULL,    -- the exact JSON text sent for this attempt
  item_count         INTEGER NOT NULL,
  total_cents        INTEGER NOT NULL,
  is_instant         INTEGER NOT NULL,
  rotate_pending     INTEGER NOT NULL DEFAULT 0, -- next send needs a new attempt, once the old externalId is proven not live
  retry_streak       INTEGER NOT NULL DEFAULT 0,
  last_error_key     TEXT,
  last_error_message TEXT,
  last_error_details TEXT,             -- JSON: error.fields / error.details of the last refusal
  message            TEXT,             -- plain words for the trader
  next_actions       TEXT NOT NULL DEFAULT '[]', -- JSON array
  next_attempt_at    INTEGER,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  sent_at            TEXT,
  UNIQUE (run_id, seq)
);
CREATE INDEX batches_state ON batches(state, next_attempt_at);
CREATE INDEX batches_run ON batches(run_id, seq);
CREATE INDEX batches_run_account ON batches(run_id, account_id, state);

CREATE TABLE batch_items (
  batch_id       TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  item_id        TEXT NOT NULL,
  name           TEXT NOT NULL,
  amount         INTEGER NOT NULL,
  price_usd      REAL NOT NULL,
  price_cents    INTEGER NOT NULL,
  dropped_reason TEXT,                 -- non-null: removed from the batch (review), never sent again
  PRIMARY KEY (batch_id, item_id)
);

-- One row per request that left (or may have left) for an externalId: the
-- evidence that no externalId was ever sent with two different item sets.
CREATE TABLE batch_attempts (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id     TEXT NOT NULL REFERENCES batches(id),
  attempt      INTEGER NOT NULL,
  external_id  TEXT NOT NULL,
  body         TEXT NOT NULL,
  items_key    TEXT NOT NULL,          -- canonical "itemId*amount" list, sorted
  sent_at      TEXT NOT NULL,
  outcome_kind TEXT,
  outcome_key  TEXT,
  outcome_at   TEXT
);
CREATE INDEX batch_attempts_external ON batch_attempts(external_id);
CREATE INDEX batch_attempts_batch ON batch_attempts(batch_id);

CREATE TABLE trades (
  id                   TEXT PRIMARY KEY, -- AssetPay's trade id
  batch_id             TEXT REFERENCES batches(id),
  run_id               TEXT REFERENCES runs(id),
  attempt              INTEGER,
  account_id           TEXT,
  external_id          TEXT,
  parent_trade_id      TEXT,           -- set on relatedTrades of a split basket
  game                 TEXT NOT NULL,
  status               TEXT NOT NULL,
  offer_id             TEXT,
  hold_end_date        TEXT,
  total_cents          INTEGER NOT NULL,
  pre_credit_cents     INTEGER,
  pending_credit_cents INTEGER,
  item_count           INTEGER NOT NULL,
  raw                  TEXT NOT NULL,  -- the trade JSON minus items/relatedTrades (kept in trade_items / rows)
  api_created_at       TEXT,
  api_updated_at       TEXT NOT NULL,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  next_poll_at         INTEGER,        -- NULL: no longer polled
  watch_until          INTEGER         -- reversal watch of completed trades ends here
);
CREATE INDEX trades_batch ON trades(batch_id, attempt);
CREATE INDEX trades_run ON trades(run_id);
CREATE INDEX trades_external ON trades(external_id);
CREATE INDEX trades_poll ON trades(next_poll_at) WHERE next_poll_at IS NOT NULL;

CREATE TABLE trade_items (
  trade_id    TEXT NOT NULL REFERENCES trades(id) ON DELETE CASCADE,
  item_id     TEXT NOT NULL,
  name        TEXT,
  amount      INTEGER,
  price_cents INTEGER,
  PRIMARY KEY (trade_id, item_id)
);
CREATE INDEX trade_items_item ON trade_items(item_id);

-- Append-only. Never holds the API key (payloads are redacted on the way in).
CREATE TABLE event_log (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  at       TEXT NOT NULL,
  kind     TEXT NOT NULL,
  plan_id  TEXT,
  run_id   TEXT,
  batch_id TEXT,
  trade_id TEXT,
  payload  TEXT NOT NULL
);
CREATE INDEX event_log_run ON event_log(run_id, id);
CREATE INDEX event_log_batch ON event_log(batch_id, id);
CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log
  BEGIN SELECT RAISE(ABORT, 'event_log is append-only'); END;
CREATE TRIGGER event_log_no_delete BEFORE DELETE ON event_log
  BEGIN SELECT RAISE(ABORT, 'event_log is append-only'); END;
`,
  },
  {
    version: 2,
    name: 'runs-created-in-chunks',
    sql: `
-- A run's batches are created a chunk at a time (the first requests leave at once; the rest are
-- written while they are in flight). What the run will hold is known from the start:
ALTER TABLE runs ADD COLUMN planned_batches INTEGER; -- NULL: a run of schema 1, created whole
ALTER TABLE runs ADD COLUMN planned_items   INTEGER;
ALTER TABLE runs ADD COLUMN planned_cents   INTEGER;
ALTER TABLE runs ADD COLUMN batches_pending INTEGER NOT NULL DEFAULT 0; -- 1 until every batch exists
-- A chunk is read in plan order from where the previous one ended, without sorting the group.
CREATE INDEX plan_items_group_order ON plan_items(plan_id, account_id, game, seq);
`,
  },
  {
    version: 3,
    name: 'plan-checks-from-indexes',
    sql: `
-- Starting a run reads the plan's groups with their totals and checks it for an item listed twice
-- before the first request leaves: both are read from an index alone, not row by row.
DROP INDEX plan_items_group_order;
CREATE INDEX plan_items_group_order ON plan_items(plan_id, account_id, game, seq, price_cents, amount);
CREATE INDEX plan_items_plan_item ON plan_items(plan_id, item_id);
`,
  },
  {
    version: 4,
    name: 'engine-rebuilt-small',
    sql: `
-- Why a run waits (maintenance, no bots…) lives with its wait, so a restart still says it.
ALTER TABLE runs ADD COLUMN wait_reason TEXT;
-- A batch's words are derived from its state, error key and trades each time they are shown.
ALTER TABLE batches DROP COLUMN message;
`,
  },
  {
    version: 5,
    name: 'batch-reviews',
    sql: `
-- The trader's review of a refused batch: each item against AssetPay's offer when the trader
-- looked (JSON, zod-parsed on read). Accepted prices are sold exactly as shown there.
ALTER TABLE batches ADD COLUMN review TEXT;
`,
  },
  {
    version: 6,
    name: 'environments-and-item-details',
    sql: `
-- Cached inventories, "can trade" checks and plans belong to the environment they were made in
-- (a run belongs to its plan's). Rows from before this migration belong to the environment
-- selected when it runs: the one they were most likely made in (switching was refused while runs
-- were active, but inventories and checks of an earlier environment stayed behind unlabelled; the
-- trader refreshes them once). No row is dropped.
CREATE TEMP TABLE migration_environment AS
  SELECT COALESCE(
    (SELECT json_extract(value, '$') FROM settings
      WHERE key = 'environment' AND json_valid(value)
        AND json_extract(value, '$') IN ('production','staging','sandbox')),
    'sandbox') AS name;

CREATE TABLE inventory_snapshots_v6 (
  account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  environment    TEXT NOT NULL CHECK (environment IN ('production','staging','sandbox')),
  game           TEXT NOT NULL,
  fetched_at     TEXT NOT NULL,
  count          INTEGER NOT NULL,
  api_updated_at TEXT,
  item_count     INTEGER NOT NULL,
  PRIMARY KEY (account_id, environment, game)
);
INSERT INTO inventory_snapshots_v6
  SELECT account_id, (SELECT name FROM migration_environment), game, fetched_at, count, api_updated_at, item_count
  FROM inventory_snapshots;

CREATE TABLE inventory_items_v6 (
  account_id         TEXT NOT NULL,
  environment        TEXT NOT NULL,
  game               TEXT NOT NULL,
  item_id            TEXT NOT NULL,
  name               TEXT NOT NULL,
  market_hash_name   TEXT NOT NULL,
  type               TEXT NOT NULL,
  exterior           TEXT,
  wear               TEXT,
  rarity             TEXT,
  color              TEXT,
  icon_url           TEXT NOT NULL,
  tradable           INTEGER NOT NULL,
  accepted           INTEGER NOT NULL,
  price_usd          REAL,
  price_cents        INTEGER,
  market_price_cents INTEGER,
  amount             INTEGER NOT NULL,
  max_amount         INTEGER,
  raw                TEXT NOT NULL,
  PRIMARY KEY (account_id, environment, game, item_id),
  FOREIGN KEY (account_id, environment, game)
    REFERENCES inventory_snapshots_v6(account_id, environment, game) ON DELETE CASCADE
);
INSERT INTO inventory_items_v6
  SELECT account_id, (SELECT name FROM migration_environment), game, item_id, name, market_hash_name, type,
         exterior, wear, rarity, color, icon_url, tradable, accepted, price_usd, price_cents,
         market_price_cents, amount, max_amount, raw
  FROM inventory_items;

DROP TABLE inventory_items;
DROP TABLE inventory_snapshots;
ALTER TABLE inventory_snapshots_v6 RENAME TO inventory_snapshots;
ALTER TABLE inventory_items_v6 RENAME TO inventory_items;
CREATE INDEX inventory_items_price ON inventory_items(account_id, environment, game, price_cents);

-- The last "can trade" check of an account, per environment (it was one column for all of them).
CREATE TABLE account_checks (
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  environment TEXT NOT NULL CHECK (environment IN ('production','staging','sandbox')),
  result      TEXT NOT NULL,           -- JSON {at,state,canTrade,message}
  PRIMARY KEY (account_id, environment)
);
INSERT INTO account_checks
  SELECT id, (SELECT name FROM migration_environment), last_check FROM accounts WHERE last_check IS NOT NULL;
ALTER TABLE accounts DROP COLUMN last_check;

-- A plan is built on one environment's data and only ever submitted there.
ALTER TABLE plans ADD COLUMN environment TEXT CHECK (environment IN ('production','staging','sandbox'));
UPDATE plans SET environment = (SELECT name FROM migration_environment);
CREATE TRIGGER plans_environment_required BEFORE INSERT ON plans WHEN NEW.environment IS NULL
  BEGIN SELECT RAISE(ABORT, 'plans.environment is required'); END;
CREATE TRIGGER plans_environment_fixed BEFORE UPDATE OF environment ON plans
  WHEN NEW.environment IS NOT OLD.environment
  BEGIN SELECT RAISE(ABORT, 'plans.environment never changes'); END;

-- Plan rows name an item the way the trader tells ten "AWP | Asiimov" apart: exterior and float.
ALTER TABLE plan_items ADD COLUMN exterior TEXT;
ALTER TABLE plan_items ADD COLUMN wear TEXT;
UPDATE plan_items SET
  exterior = (SELECT i.exterior FROM inventory_items i WHERE i.account_id = plan_items.account_id
               AND i.environment = (SELECT name FROM migration_environment) AND i.game = plan_items.game AND i.item_id = plan_items.item_id),
  wear     = (SELECT i.wear FROM inventory_items i WHERE i.account_id = plan_items.account_id
               AND i.environment = (SELECT name FROM migration_environment) AND i.game = plan_items.game AND i.item_id = plan_items.item_id);

-- What became of an item after it was planned (sold, in a live batch) is read by item id.
CREATE INDEX batch_items_item ON batch_items(item_id);
CREATE INDEX trades_account_recorded ON trades(account_id, game, created_at);

DROP TABLE migration_environment;
`,
  },
  {
    version: 7,
    name: 'trader-view',
    sql: `
-- The inventory screen reads a whole account and game in name order (InventoryRepo.columns): from
-- this index alone, already sorted, instead of row by row through rows that carry the raw JSON.
CREATE INDEX inventory_items_columns ON inventory_items(account_id, game, name, item_id, market_hash_name,
  type, exterior, wear, rarity, color, icon_url, tradable, accepted, price_usd, price_cents,
  market_price_cents, amount, max_amount);

-- A pre-flight can leave items out by the plan's "below X % of market" rule (issue 11): a change
-- category of its own. SQLite cannot widen a CHECK in place, so the table is rebuilt as it was.
CREATE TABLE preflight_rows_v7 (
  preflight_id  TEXT NOT NULL REFERENCES preflights(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  account_id    TEXT NOT NULL,
  game          TEXT NOT NULL,
  item_id       TEXT NOT NULL,
  name          TEXT NOT NULL,
  change        TEXT NOT NULL CHECK (change IN ('unchanged','price-up','price-down','unavailable','not-accepted','below-market-share')),
  planned_cents INTEGER NOT NULL,
  current_cents INTEGER,
  change_cents  INTEGER,
  change_bp     INTEGER,
  auto_accepted INTEGER NOT NULL,
  price_usd     REAL,
  PRIMARY KEY (preflight_id, seq)
);
INSERT INTO preflight_rows_v7 SELECT preflight_id, seq, account_id, game, item_id, name, change, planned_cents,
  current_cents, change_cents, change_bp, auto_accepted, price_usd FROM preflight_rows;
DROP TABLE preflight_rows;
ALTER TABLE preflight_rows_v7 RENAME TO preflight_rows;
CREATE INDEX preflight_rows_item ON preflight_rows(preflight_id, account_id, game, item_id);
`,
  },
  {
    version: 8,
    name: 'inventory-columns-per-environment',
    sql: `
-- The inventory screen's covering index (7) reads one account and game; since 6 a cached copy also
-- belongs to an environment, which the index must lead with to stay covering and sorted.
DROP INDEX inventory_items_columns;
CREATE INDEX inventory_items_columns ON inventory_items(account_id, environment, game, name, item_id,
  market_hash_name, type, exterior, wear, rarity, color, icon_url, tradable, accepted, price_usd,
  price_cents, market_price_cents, amount, max_amount);
`,
  },
];
