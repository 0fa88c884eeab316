/** Exterior and float: how the trader tells ten "AWP | Asiimov" rows apart. */
export function ItemDetails({ exterior, wear }: { exterior: string | null; wear: string | null }) {
  if (!exterior && !wear) return null;
  return (
    <small className="item-details">
      {' '}
      {[exterior, wear ? Number(wear).toFixed(4) : null].filter(Boolean).join(' · ')}
    </small>
  );
}
