// The money of one demo order: line items whose amounts add up exactly to a CDNOW purchase,
// then shipping and tax on top. Every figure is an integer number of cents.
import type { SeededRandom } from "./seeded-random";
import type { StoreLineItem, StoreProduct } from "./store-data";

export type LineItemDraft = Omit<StoreLineItem, "id">;

export interface OrderMoney {
  lineItems: LineItemDraft[];
  subtotalMinor: number;
  totalDiscountsMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export const FREE_SHIPPING_FROM_MINOR = 5000;
export const SHIPPING_MINOR = 499;
export const TAX_RATE_PERCENT = 8;

/** 8% of the subtotal, rounded half up to the cent. */
export function taxOf(subtotalMinor: number): number {
  return Math.floor((subtotalMinor * TAX_RATE_PERCENT + 50) / 100);
}

/** a × b / c rounded half up, for the non-negative integers money shares are made of. */
export function proportionalShare(amount: number, part: number, whole: number): number {
  if (whole === 0) return 0;
  return Math.floor((2 * amount * part + whole) / (2 * whole));
}

// A list price may hide a markdown of up to this share as a line discount; beyond it the
// line is simply sold at the price the customer paid (prices moved over two years).
const LARGEST_PLAUSIBLE_MARKDOWN = 0.3;

function productWeight(index: number): number {
  // A few best-sellers and a long tail, scattered over the catalogue rather than its first rows.
  return 1 / (1 + ((index * 37) % 60)) ** 0.8;
}

function splitQuantity(random: SeededRandom, quantity: number, lineCount: number): number[] {
  const quantities = Array.from({ length: lineCount }, () => 1);
  for (let extra = quantity - lineCount; extra > 0; extra--) {
    const line = random.int(0, lineCount - 1);
    quantities[line] = (quantities[line] ?? 0) + 1;
  }
  return quantities;
}

export function createLineItemPicker(catalogue: readonly StoreProduct[]) {
  const weightedProducts = catalogue.map((product, index) => [product, productWeight(index)] as const);

  /** Spreads a purchase of `quantity` CDs costing `amountMinor` over 1-3 catalogue lines. */
  return function pickLineItems(random: SeededRandom, quantity: number, amountMinor: number): LineItemDraft[] {
    const lineCount = Math.min(
      Math.max(quantity, 1),
      random.weighted([
        [1, 60],
        [2, 28],
        [3, 12],
      ] as const),
    );
    const products: StoreProduct[] = [];
    while (products.length < lineCount) {
      const product = random.weighted(weightedProducts);
      if (!products.includes(product)) products.push(product);
    }
    const quantities = splitQuantity(random, Math.max(quantity, 1), lineCount);
    // Vinyl only where the money paid per record could buy it.
    const paidPerRecordMinor = amountMinor / Math.max(quantity, 1);
    const variants = products.map((product) => {
      const vinyl = product.variants[1];
      const affordable = vinyl !== undefined && paidPerRecordMinor >= 0.8 * vinyl.priceMinor;
      const variant = affordable && random.chance(0.5) ? vinyl : product.variants[0];
      if (!variant) throw new Error(`Product ${product.id} has no variant`);
      return variant;
    });

    // Each line's share of the amount follows its list value; the last line takes the
    // remainder so that the shares add up exactly.
    const listValues = variants.map((variant, line) => variant.priceMinor * (quantities[line] ?? 1));
    const listTotal = listValues.reduce((sum, value) => sum + value, 0);
    let allocated = 0;
    return products.map((product, line) => {
      const variant = variants[line];
      const lineQuantity = quantities[line] ?? 1;
      const listValue = listValues[line] ?? 0;
      if (!variant) throw new Error("Variant missing");
      const lineSubtotal =
        line === lineCount - 1 ? amountMinor - allocated : Math.floor((amountMinor * listValue) / listTotal);
      allocated += lineSubtotal;

      let priceMinor: number;
      if (lineSubtotal === 0) {
        // CDNOW has purchases of $0: free records, shown as a full discount.
        priceMinor = variant.priceMinor;
      } else if (listValue >= lineSubtotal && listValue - lineSubtotal <= LARGEST_PLAUSIBLE_MARKDOWN * listValue) {
        priceMinor = variant.priceMinor;
      } else {
        priceMinor = Math.ceil(lineSubtotal / lineQuantity);
      }
      return {
        productId: product.id,
        variantId: variant.id,
        title: product.title,
        variantTitle: variant.title,
        sku: variant.sku,
        quantity: lineQuantity,
        priceMinor,
        discountMinor: priceMinor * lineQuantity - lineSubtotal,
      };
    });
  };
}

export function lineSubtotalOf(line: Pick<StoreLineItem, "quantity" | "priceMinor" | "discountMinor">): number {
  return line.priceMinor * line.quantity - line.discountMinor;
}

export function orderMoney(lineItems: LineItemDraft[], options: { shipped: boolean }): OrderMoney {
  const subtotalMinor = lineItems.reduce((sum, line) => sum + lineSubtotalOf(line), 0);
  const totalDiscountsMinor = lineItems.reduce((sum, line) => sum + line.discountMinor, 0);
  // Free orders stay entirely free; counter sales (POS) are not shipped.
  const shippingMinor =
    !options.shipped || subtotalMinor === 0 || subtotalMinor >= FREE_SHIPPING_FROM_MINOR ? 0 : SHIPPING_MINOR;
  const taxMinor = taxOf(subtotalMinor);
  return {
    lineItems,
    subtotalMinor,
    totalDiscountsMinor,
    shippingMinor,
    taxMinor,
    totalMinor: subtotalMinor + shippingMinor + taxMinor,
  };
}
