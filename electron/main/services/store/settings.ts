import type { z } from 'zod';
import { environmentSchema, type Environment } from '../../../../shared/domain';
import { settingsSchema, type Settings } from '../../../../shared/model';
import { invalid, type StoreContext } from './context';
import { parseJsonColumn, toJson } from './json';

export const DEFAULT_SETTINGS: Settings = {
  environment: 'sandbox',
  // api §3: treat the unverified limits as the default until the merchant says otherwise.
  tier: 'unverified',
  defaultGame: '730',
  isInstant: true,
  // issue 13: how many sells AssetPay takes at once is found from its answers.
  concurrency: 'auto',
  priceToleranceBp: 0,
  batchSize: 250,
};

const SETTING_KEYS = Object.keys(settingsSchema.shape) as (keyof Settings)[];
const partialSettingsSchema = settingsSchema.partial().strict();

/** Settings: one row per key, JSON value, each parsed with its own schema on read. */
export class SettingsRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** The app settings, defaults filled in for missing (or unreadable) keys. */
  get(): Settings {
    const rows = this.ctx
      .stmt(
        `SELECT key, value FROM settings WHERE key IN (${SETTING_KEYS.map(() => '?').join(',')})`,
      )
      .all(...SETTING_KEYS) as { key: keyof Settings; value: string }[];
    const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const row of rows) {
      const schema = settingsSchema.shape[row.key];
      try {
        out[row.key] = parseJsonColumn(schema, row.value, `settings.${row.key}`);
      } catch {
        // A value written by another build that no longer fits: fall back on the default.
      }
    }
    return settingsSchema.parse(out);
  }

  /**
   * The selected environment: what cached inventories, checks and new plans belong to. Read on
   * every use (one indexed row), so a switch is seen by every repository at once.
   */
  environment(): Environment {
    const row = this.ctx.stmt("SELECT value FROM settings WHERE key = 'environment'").get() as
      { value: string } | undefined;
    if (!row) return DEFAULT_SETTINGS.environment;
    try {
      return parseJsonColumn(environmentSchema, row.value, 'settings.environment');
    } catch {
      return DEFAULT_SETTINGS.environment;
    }
  }

  /** Validates and writes a partial update in one transaction; returns the full settings. */
  update(patch: Partial<Settings>): Settings {
    const parsed = partialSettingsSchema.safeParse(patch);
    if (!parsed.success) {
      throw invalid(
        'invalid-settings',
        `Invalid settings: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    const at = this.ctx.iso();
    const stmt = this.ctx.stmt(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    this.ctx.db.transaction(() => {
      for (const [key, value] of Object.entries(parsed.data)) {
        if (value !== undefined) stmt.run(key, toJson(value), at);
      }
    })();
    return this.get();
  }

  /** Any other app value (UI state…), parsed with the caller's schema; null when absent or unreadable. */
  getValue<S extends z.ZodType>(key: string, schema: S): z.output<S> | null {
    const row = this.ctx.stmt('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    if (!row) return null;
    try {
      return parseJsonColumn(schema, row.value, `settings.${key}`);
    } catch {
      return null;
    }
  }

  setValue<S extends z.ZodType>(key: string, schema: S, value: z.input<S>): void {
    if (/api[-_]?key|secret|token/i.test(key)) {
      throw invalid(
        'secret-in-settings',
        'Secrets are kept in the OS keychain, never in the settings.',
      );
    }
    const parsed = schema.parse(value);
    this.ctx
      .stmt(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, toJson(parsed), this.ctx.iso());
  }
}
