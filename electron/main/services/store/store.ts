import { AccountsRepo } from './accounts';
import { AuditRepo } from './audit';
import { BatchesRepo } from './batches';
import { BatchReviewsRepo } from './batch-reviews';
import { makeContext, type StoreContext } from './context';
import { openDatabase, schemaVersion, type Db, type OpenDatabaseOptions } from './db';
import { EventsRepo } from './events';
import { HistoryRepo } from './history';
import { InventoryRepo } from './inventory';
import { PlanHealthRepo } from './plan-health';
import { PlansRepo } from './plans';
import { PreflightsRepo } from './preflights';
import { RunsRepo } from './runs';
import { SettingsRepo } from './settings';
import { TradesRepo } from './trades';

export interface StoreOptions extends OpenDatabaseOptions {
  /** Epoch ms; injectable so tests can pin timestamps. */
  now?: () => number;
  newId?: () => string;
}

/** The local database (design §6) and its repositories. One instance per process. */
export class Store {
  readonly settings: SettingsRepo;
  readonly accounts: AccountsRepo;
  readonly inventory: InventoryRepo;
  readonly plans: PlansRepo;
  readonly planHealth: PlanHealthRepo;
  readonly preflights: PreflightsRepo;
  readonly runs: RunsRepo;
  readonly trades: TradesRepo;
  readonly history: HistoryRepo;
  readonly batches: BatchesRepo;
  readonly reviews: BatchReviewsRepo;
  readonly events: EventsRepo;
  readonly audit: AuditRepo;
  /** For the engine and the invariant checker; the IPC layer should use the repositories. */
  readonly db: Db;
  readonly ctx: StoreContext;
  private closed = false;

  constructor(
    readonly path: string,
    options: StoreOptions = {},
  ) {
    this.db = openDatabase(path, options);
    this.ctx = makeContext(this.db, options.now, options.newId);
    this.settings = new SettingsRepo(this.ctx);
    // Inventories, checks and new plans belong to the selected environment (read at each use).
    const environment = () => this.settings.environment();
    this.accounts = new AccountsRepo(this.ctx, environment);
    this.inventory = new InventoryRepo(this.ctx, environment);
    this.planHealth = new PlanHealthRepo(this.ctx);
    this.plans = new PlansRepo(this.ctx, environment, this.planHealth);
    this.preflights = new PreflightsRepo(this.ctx);
    this.runs = new RunsRepo(this.ctx, this.plans);
    // The engine's work (batches due, trades to poll) is the selected environment's too.
    this.trades = new TradesRepo(this.ctx, environment);
    this.history = new HistoryRepo(this.ctx, this.trades);
    this.batches = new BatchesRepo(this.ctx, this.trades, environment);
    this.reviews = new BatchReviewsRepo(this.ctx);
    this.events = new EventsRepo(this.ctx);
    this.audit = new AuditRepo(this.ctx);
  }

  static open(path: string, options: StoreOptions = {}): Store {
    return new Store(path, options);
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Folds the write-ahead log into the database file, without waiting for
   * readers (PASSIVE). SQLite does this by itself inside whichever commit
   * crosses 1,000 pages; the engine calls it at quiet moments instead, so a
   * sell's commit does not pay for it.
   */
  checkpoint(): void {
    if (!this.db.inTransaction) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /**
   * A transaction that is on disk when this returns (synchronous=FULL for its
   * commit, which also syncs every earlier commit): for write-ahead records
   * that must survive a power cut before a request leaves. Inside another
   * transaction it is part of that one (the outer commit decides).
   */
  durableTransaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return this.db.transaction(fn)();
    this.db.pragma('synchronous = FULL');
    try {
      return this.db.transaction(fn)();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
