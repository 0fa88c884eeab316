import type { TradeView } from '../../../../shared/contract';
import { call } from '../../api/client';
import { accountLabel, useAccounts } from '../accounts/accounts-store';
import { Icon } from '../../ui/icons';
import { Money } from '../../ui/money';
import { count, plural } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { useOffers } from './offers-store';
import { STEAM_INCOMING_OFFERS_URL, tradeOfferUrl } from './trade-offer';

/** "3 offers wait for you in Steam, the oldest for 9 minutes" — with the way there. */
export function OffersPanel() {
  const offers = useOffers((s) => s.offers);
  const accounts = useAccounts((s) => s.accounts);
  const now = useNow(15_000);
  if (offers.length === 0) return null;
  const oldest = offers[0]!;
  const open = (url: string) =>
    void call('openExternal', { url }, { context: 'Could not open Steam' });
  return (
    <section
      className="card offers-panel"
      aria-label="Offers to accept in Steam"
      data-testid="offers-panel"
      data-count={offers.length}
    >
      <div className="offers-head">
        <div>
          <h2>
            {offers.length === 1
              ? 'An offer waits for you in Steam'
              : `${count(offers.length)} offers wait for you in Steam`}
          </h2>
          <p className="muted small">
            The oldest for {waited(oldest, now)}. Nothing is sold until you accept; unaccepted
            offers end declined or canceled.
          </p>
        </div>
        <button
          type="button"
          className="primary"
          onClick={() => open(STEAM_INCOMING_OFFERS_URL)}
          data-testid="open-incoming-offers"
        >
          <Icon name="external" /> Open incoming offers in Steam
        </button>
      </div>
      <ol className="offers-list">
        {offers.slice(0, 50).map((o) => (
          <li key={o.tradeId} data-testid="offer-row" data-trade-id={o.tradeId}>
            <span className="offer-age" title={o.updatedAt}>
              {waited(o, now)}
            </span>
            <span className="offer-account">
              {o.accountId ? accountLabel(accounts, o.accountId) : 'Unknown account'}
            </span>
            <span className="muted">{plural(o.itemCount, 'item')}</span>
            <Money cents={o.totalCents} className="num" />
            <button type="button" className="small" onClick={() => open(tradeOfferUrl(o.offerId!))}>
              Offer <code className="mono">{o.offerId}</code>
            </button>
          </li>
        ))}
        {offers.length > 50 && (
          <li className="muted">…and {count(offers.length - 50)} more, newer</li>
        )}
      </ol>
    </section>
  );
}

function waited(offer: TradeView, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(offer.updatedAt)) / 60_000));
  return minutes < 1 ? 'under a minute' : minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
