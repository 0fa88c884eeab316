/* Static Rust catalogue. Rust skins stack: one inventory row holds `amount` units. */

export interface RustCatalogEntry {
  name: string;
  type: string;
  /** Per-unit price, cents. */
  baseCents: number;
  color: string;
  /** Typical stack sizes; most skins come as singles, some as big stacks. */
  stacky: boolean;
}

const entry = (
  name: string,
  type: string,
  baseCents: number,
  color: string,
  stacky = false,
): RustCatalogEntry => ({
  name,
  type,
  baseCents,
  color,
  stacky,
});

export const RUST_CATALOG: readonly RustCatalogEntry[] = [
  entry('Tempered AK47', 'Assault Rifle', 6200, '#C0392B'),
  entry('Glory AK47', 'Assault Rifle', 1450, '#F1C40F'),
  entry('Alien Red', 'Sheet Metal Door', 480, '#E74C3C'),
  entry('Big Grin', 'Metal Facemask', 9800, '#7F8C8D'),
  entry('Punishment Mask', 'Metal Facemask', 2300, '#2C3E50'),
  entry('Whiteout Hoodie', 'Hoodie', 110, '#ECF0F1', true),
  entry('Blackout Hoodie', 'Hoodie', 95, '#1C1C1C', true),
  entry('Azul Garage Door', 'Garage Door', 37, '#2980B9', true),
  entry('No Mercy Door', 'Sheet Metal Door', 64, '#8E44AD', true),
  entry('Tempered Mp5', 'MP5A4', 890, '#D35400'),
  entry('Neon Tiger Thompson', 'Thompson', 155, '#16A085', true),
  entry('Retro Tool Cupboard', 'Tool Cupboard', 23, '#95A5A6', true),
  entry('Wood Storage Box Camo', 'Wood Storage Box', 4, '#6E7B4E', true),
  entry('Rainbow Pony Bag', 'Large Wood Box', 210, '#FF69B4'),
  entry('Carbon Fiber Kayak', 'Kayak', 1300, '#34495E'),
  entry('Hazmat Youtooz', 'Hazmat Suit', 3100, '#27AE60'),
  entry('Chippy Arcade Game', 'Deployable', 12, '#F39C12', true),
  entry('Playrust.com Sign', 'Sign', 2, '#BDC3C7', true),
];
