/* Static CS2 catalogue the inventory generator draws from. Prices are rough USD cents. */

export interface Cs2CatalogEntry {
  name: string;
  type: string;
  rarity: string;
  /** Typical Field-Tested / plain price, cents. */
  baseCents: number;
  /** Skins have exterior, wear and paint seed; stickers, cases and agents do not. */
  skin: boolean;
}

export const CS2_RARITY_COLORS: Record<string, string> = {
  'Consumer Grade': '#B0C3D9',
  'Industrial Grade': '#5E98D9',
  'Mil-Spec Grade': '#4B69FF',
  Restricted: '#8847FF',
  Classified: '#D32CE6',
  Covert: '#EB4B4B',
  Contraband: '#E4AE39',
  'Base Grade': '#B0C3D9',
  'High Grade': '#4B69FF',
  Remarkable: '#8847FF',
  Exotic: '#D32CE6',
  Extraordinary: '#EB4B4B',
  Superior: '#D32CE6',
  Master: '#EB4B4B',
};

const skin = (name: string, type: string, rarity: string, baseCents: number): Cs2CatalogEntry => ({
  name,
  type,
  rarity,
  baseCents,
  skin: true,
});
const thing = (name: string, type: string, rarity: string, baseCents: number): Cs2CatalogEntry => ({
  name,
  type,
  rarity,
  baseCents,
  skin: false,
});

export const CS2_CATALOG: readonly Cs2CatalogEntry[] = [
  skin('AK-47 | Redline', 'Rifle', 'Classified', 1850),
  skin('AK-47 | Asiimov', 'Rifle', 'Covert', 6400),
  skin('AK-47 | Slate', 'Rifle', 'Restricted', 420),
  skin('AK-47 | Vulcan', 'Rifle', 'Covert', 14500),
  skin('AK-47 | Elite Build', 'Rifle', 'Mil-Spec Grade', 160),
  skin('M4A4 | Desolate Space', 'Rifle', 'Classified', 2100),
  skin('M4A4 | The Emperor', 'Rifle', 'Covert', 3800),
  skin('M4A1-S | Hyper Beast', 'Rifle', 'Covert', 2900),
  skin('M4A1-S | Decimator', 'Rifle', 'Classified', 1100),
  skin('FAMAS | Commemoration', 'Rifle', 'Restricted', 350),
  skin('Galil AR | Chatterbox', 'Rifle', 'Covert', 2200),
  skin('AUG | Momentum', 'Rifle', 'Classified', 900),
  skin('SG 553 | Integrale', 'Rifle', 'Classified', 1500),
  skin('AWP | Asiimov', 'Sniper Rifle', 'Covert', 9800),
  skin('AWP | Atheris', 'Sniper Rifle', 'Restricted', 520),
  skin('AWP | Neo-Noir', 'Sniper Rifle', 'Covert', 4300),
  skin('AWP | Dragon Lore', 'Sniper Rifle', 'Covert', 1450000),
  skin('SSG 08 | Blood in the Water', 'Sniper Rifle', 'Covert', 4700),
  skin('Desert Eagle | Blaze', 'Pistol', 'Restricted', 42000),
  skin('Desert Eagle | Printstream', 'Pistol', 'Covert', 5200),
  skin('Glock-18 | Water Elemental', 'Pistol', 'Classified', 850),
  skin('Glock-18 | Fade', 'Pistol', 'Restricted', 98000),
  skin('USP-S | Kill Confirmed', 'Pistol', 'Covert', 4600),
  skin('USP-S | Cortex', 'Pistol', 'Classified', 760),
  skin('P250 | See Ya Later', 'Pistol', 'Classified', 330),
  skin('Five-SeveN | Angry Mob', 'Pistol', 'Restricted', 270),
  skin('Tec-9 | Fuel Injector', 'Pistol', 'Restricted', 190),
  skin('CZ75-Auto | Victoria', 'Pistol', 'Classified', 640),
  skin('MP9 | Starlight Protector', 'SMG', 'Covert', 1250),
  skin('MAC-10 | Neon Rider', 'SMG', 'Covert', 780),
  skin('UMP-45 | Primal Saber', 'SMG', 'Classified', 410),
  skin('P90 | Asiimov', 'SMG', 'Covert', 820),
  skin('MP7 | Bloodsport', 'SMG', 'Covert', 690),
  skin('PP-Bizon | Judgement of Anubis', 'SMG', 'Covert', 560),
  skin('Nova | Hyper Beast', 'Shotgun', 'Classified', 240),
  skin('XM1014 | Tranquility', 'Shotgun', 'Classified', 380),
  skin('MAG-7 | Justice', 'Shotgun', 'Covert', 510),
  skin('Negev | Power Loader', 'Machinegun', 'Restricted', 120),
  skin('M249 | Emerald Poison Dart', 'Machinegun', 'Mil-Spec Grade', 45),
  skin('P2000 | Imperial Dragon', 'Pistol', 'Classified', 680),
  skin('★ Karambit | Doppler', 'Knife', 'Covert', 98000),
  skin('★ Butterfly Knife | Fade', 'Knife', 'Covert', 185000),
  skin('★ M9 Bayonet | Tiger Tooth', 'Knife', 'Covert', 84000),
  skin('★ Flip Knife | Case Hardened', 'Knife', 'Covert', 21000),
  skin('★ Gut Knife | Safari Mesh', 'Knife', 'Covert', 7800),
  skin('★ Sport Gloves | Vice', 'Gloves', 'Extraordinary', 175000),
  skin('★ Driver Gloves | King Snake', 'Gloves', 'Extraordinary', 34000),
  skin('★ Hand Wraps | Slaughter', 'Gloves', 'Extraordinary', 26000),
  thing('Sticker | Natus Vincere | Katowice 2014', 'Sticker', 'Remarkable', 52000),
  thing('Sticker | Crown (Foil)', 'Sticker', 'Exotic', 78000),
  thing('Sticker | Battle Scarred', 'Sticker', 'High Grade', 9),
  thing('Sticker | Cloud9 (Holo) | Copenhagen 2024', 'Sticker', 'Remarkable', 180),
  thing('Sticker | Chicken Lover', 'Sticker', 'High Grade', 35),
  thing('Revolution Case', 'Container', 'Base Grade', 55),
  thing('Kilowatt Case', 'Container', 'Base Grade', 72),
  thing('Dreams & Nightmares Case', 'Container', 'Base Grade', 160),
  thing('Fracture Case', 'Container', 'Base Grade', 38),
  thing('Operation Breakout Weapon Case', 'Container', 'Base Grade', 610),
  thing('Copenhagen 2024 Legends Sticker Capsule', 'Container', 'Base Grade', 24),
  thing('Sir Bloody Darryl Royale | The Professionals', 'Agent', 'Master', 1900),
  thing('Special Agent Ava | FBI', 'Agent', 'Master', 1500),
  thing("Cmdr. Mae 'Dead Cold' Jamison | SWAT", 'Agent', 'Superior', 900),
  thing('Music Kit | Scarlxrd, King, Scar', 'Music Kit', 'High Grade', 420),
  thing('Graffiti | Good Game (Shark White)', 'Graffiti', 'Base Grade', 3),
];

export interface Exterior {
  name: string;
  short: string;
  minWear: number;
  maxWear: number;
  /** Price multiplier relative to Field-Tested. */
  factor: number;
}

export const EXTERIORS: readonly Exterior[] = [
  { name: 'Factory New', short: 'FN', minWear: 0, maxWear: 0.07, factor: 2.1 },
  { name: 'Minimal Wear', short: 'MW', minWear: 0.07, maxWear: 0.15, factor: 1.35 },
  { name: 'Field-Tested', short: 'FT', minWear: 0.15, maxWear: 0.38, factor: 1 },
  { name: 'Well-Worn', short: 'WW', minWear: 0.38, maxWear: 0.45, factor: 0.8 },
  { name: 'Battle-Scarred', short: 'BS', minWear: 0.45, maxWear: 1, factor: 0.7 },
];
