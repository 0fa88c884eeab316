import { memo, useState } from 'react';
import { pictureKey } from '../../../shared/pictures';
import { useConnectivity } from '../app/connectivity-store';
import { safeColor } from './format';

/** Pictures main could not give (refused, not cached while offline): the placeholder, without asking again this session. */
const missing = new Set<string>();

/**
 * An item's picture from main's picture cache (never from the network: the
 * page has no connect-src and img-src allows only the picture protocol).
 * Until it arrives, or when there is none, a placeholder in the rarity colour
 * with the type's first letters.
 */
export const ItemPicture = memo(function ItemPicture({
  iconUrl,
  color,
  type,
}: {
  iconUrl: string;
  color: string | null;
  type: string;
}) {
  const base = useConnectivity((s) => s.picturesUrl);
  const src = base && iconUrl ? `${base}${pictureKey(iconUrl)}` : null;
  const [failed, setFailed] = useState<string | null>(null);
  if (src && !missing.has(src) && failed !== src) {
    return (
      <img
        className="item-picture"
        src={src}
        alt=""
        width={32}
        height={24}
        decoding="async"
        draggable={false}
        onError={() => {
          missing.add(src);
          setFailed(src);
        }}
      />
    );
  }
  const border = safeColor(color);
  return (
    <span
      className="icon-placeholder"
      style={border ? { borderColor: border } : undefined}
      aria-hidden="true"
      data-testid="picture-placeholder"
    >
      {type.slice(0, 2)}
    </span>
  );
});
