// The demo record shop's catalogue: invented artists and albums, one genre each (the
// product type), sold as CD and, for most titles, on vinyl.
import type { StoreProduct } from "./store-data";

export const PRODUCT_ID_BASE = 8_000_000_000_000;
export const VARIANT_ID_BASE = 4_000_000_000_000;

// [artist, album, genre, CD price in cents, vinyl price in cents or null when CD only]
const RELEASES: readonly (readonly [string, string, string, number, number | null])[] = [
  ["The Velvet Parade", "Neon Harbor", "Rock", 1399, 2799],
  ["Marisol Vega", "Canciones del Puerto", "Latin", 1299, 2499],
  ["Kofi Mensah Quartet", "Accra Nights", "Jazz", 1499, 3199],
  ["Static Orchard", "Tin Roof Radio", "Indie", 1299, 2599],
  ["Delia Moon", "Paper Lanterns", "Folk", 1199, 2399],
  ["Lowland Hum", "Slow Weather", "Ambient", 1299, 2899],
  ["Northbound Saints", "Gravel & Gold", "Country", 1299, null],
  ["June Okafor", "Honey in the Wires", "Soul", 1399, 2699],
  ["Circuit Garden", "Photosynth", "Electronic", 1199, 2899],
  ["Big Ruth & The Riverhands", "Delta Ledger", "Blues", 1299, 2599],
  ["Ironbark", "Weight of Mountains", "Metal", 1399, 2999],
  ["Lila Chen", "Glass Orchestra", "Classical", 1599, 3499],
  ["Mr. Cardinal", "Brick City Almanac", "Hip-Hop", 1299, 2799],
  ["The Harbor Lights", "Last Ferry Home", "Rock", 1299, 2599],
  ["Selah Rivers", "Sunday Electric", "Soul", 1399, 2799],
  ["Yuki Tanabe Trio", "Blue Hour Standards", "Jazz", 1499, 2999],
  ["Palm Static", "Overpass Summer", "Pop", 1199, 2499],
  ["Rootsdown Sound System", "Kingston Morning", "Reggae", 1299, 2699],
  ["Ana Lucía Ortiz", "Mar Adentro", "Latin", 1299, null],
  ["Hollow Pines", "Cabin Fever Dreams", "Folk", 1199, 2299],
  ["Moth & Lantern", "Small Hours", "Indie", 1299, 2499],
  ["DJ Parallax", "Night Bus Sessions", "Electronic", 1199, 2799],
  ["Carter Bell", "Highway 9 Hymns", "Country", 1299, 2599],
  ["The Okonkwo Brothers", "Lagos Highlife Revival", "Afrobeat", 1399, 2899],
  ["Greyhound Saints", "Rust Belt Lullabies", "Rock", 1299, 2599],
  ["Priya Raman", "Monsoon Ragas", "World", 1399, 2799],
  ["Velour Kids", "Bubblegum Apocalypse", "Pop", 1199, 2299],
  ["Dust Bowl Choir", "Plainsong", "Folk", 1199, null],
  ["Cobalt Tide", "Undertow", "Metal", 1399, 2799],
  ["Eastside Diction", "Corner Store Philosophy", "Hip-Hop", 1299, 2699],
  ["Magnolia Fairweather", "Porch Light Blues", "Blues", 1299, 2499],
  ["Arcadia String Ensemble", "Winter Preludes", "Classical", 1599, 3299],
  ["Lumen Drift", "Tidal Memory", "Ambient", 1299, 2799],
  ["The Saturday Sirens", "Go-Go Boots & Heartache", "Soul", 1299, 2599],
  ["Rafa Delgado", "Barrio Boogaloo", "Latin", 1299, 2699],
  ["Echo Cartel", "Phantom Frequencies", "Electronic", 1199, 2599],
  ["Wren Hollister", "Letters Never Sent", "Indie", 1299, 2499],
  ["Blackwater Union", "Coal Town Testament", "Country", 1299, null],
  ["Miles Okafor-Bell", "Midnight at the Tivoli", "Jazz", 1499, 3199],
  ["Sunny Acosta", "Golden State of Mind", "Pop", 1199, 2399],
  ["Thunder Bay Radio", "Northern Static", "Rock", 1299, 2599],
  ["Ndidi & The Groove Council", "Calabash", "Afrobeat", 1399, 2799],
  ["Gallows Hill", "Requiem for a Lighthouse", "Metal", 1399, 2899],
  ["Quiet Company", "Kitchen Table Songs", "Folk", 1199, 2299],
  ["Lady Lazarus", "Resurrection Funk", "Soul", 1399, 2799],
  ["Pixel Monks", "8-Bit Sutras", "Electronic", 1099, null],
  ["Jasper Kahale", "Trade Winds", "World", 1299, 2599],
  ["The Westbound Train", "Whistle Stop", "Blues", 1299, 2499],
  ["Hana Sato", "Cherry Blossom Nocturnes", "Classical", 1599, 3299],
  ["Loose Change Collective", "Pocket Full of Rhymes", "Hip-Hop", 1299, 2599],
  ["Coral Reef Sound", "Island Time", "Reggae", 1299, 2499],
  ["Midnight Cartographers", "Maps of Nowhere", "Indie", 1299, 2599],
  ["Ruby Castellanos", "Corazón de Neón", "Latin", 1299, 2599],
  ["Silver Creek Ramblers", "Back Porch Sessions", "Country", 1199, 2399],
  ["Aurora Fields", "Morning Static", "Ambient", 1299, 2699],
  ["The Copper Kettles", "Steam & Thunder", "Rock", 1299, 2499],
  ["Bashir Haddad Ensemble", "Desert Modes", "Jazz", 1499, 2999],
  ["Glitter Tax", "Maximum Sparkle", "Pop", 1199, 2299],
  ["Dr. Vinyl & The Scratches", "Crate Digger's Delight", "Hip-Hop", 1399, 2999],
  ["Saltwater Hymnal", "Tidewater Gospel", "Gospel", 1199, 2399],
];

const VENDOR_BY_GENRE: Record<string, string> = {
  Rock: "Copperline Records",
  Indie: "Copperline Records",
  Metal: "Iron Anvil Music",
  Pop: "Bright Spark Records",
  Electronic: "Low Tide Label",
  Ambient: "Low Tide Label",
  Jazz: "Blue Lantern Jazz",
  Classical: "Meridian Classics",
  Soul: "Velvet Static Soul",
  Gospel: "Velvet Static Soul",
  "Hip-Hop": "Corner Store Records",
  Folk: "Harbor Light Records",
  Country: "Harbor Light Records",
  Blues: "Harbor Light Records",
  Latin: "Puerto Sound",
  Reggae: "Puerto Sound",
  Afrobeat: "Global Groove",
  World: "Global Groove",
};

function skuOf(artist: string, album: string, format: string): string {
  const initials = (text: string) =>
    text
      .normalize("NFD")
      .replace(/[^A-Za-z ]/g, "")
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => word[0]?.toUpperCase() ?? "")
      .join("")
      .slice(0, 4);
  return `${initials(artist)}-${initials(album)}-${format === "Vinyl" ? "LP" : "CD"}`;
}

/** The same 60 products for every seed: a shop's catalogue is not what the demo varies. */
export function demoCatalogue(): StoreProduct[] {
  let variantNumber = 0;
  return RELEASES.map(([artist, album, genre, cdPriceMinor, vinylPriceMinor], index) => {
    const formats: [string, number][] = [["CD", cdPriceMinor]];
    if (vinylPriceMinor !== null) formats.push(["Vinyl", vinylPriceMinor]);
    return {
      id: PRODUCT_ID_BASE + index + 1,
      title: `${artist} — ${album}`,
      vendor: VENDOR_BY_GENRE[genre] ?? "Kinship Demo Records",
      productType: genre,
      variants: formats.map(([title, priceMinor]) => ({
        id: VARIANT_ID_BASE + ++variantNumber,
        title,
        sku: `${skuOf(artist, album, title)}-${String(index + 1).padStart(3, "0")}`,
        priceMinor,
      })),
    };
  });
}
