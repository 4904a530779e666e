import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

// DynamoDB's item-size rules: names count, a number ~1 byte per two significant digits + 1, a list
// or map 3 bytes + 1 per element.
function billed(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|e.*$/g, '').replace(/^0+/, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.byteLength;
  if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + billed(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + billed(x), 0);
  return 1;
}

// What the SDK puts on the wire: binary as base64 inside the JSON body.
function wire(v: AttributeValue): unknown {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') };
  if (v.L) return { L: v.L.map(wire) };
  if (v.M) return { M: Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, wire(x)])) };
  return v;
}

/** Mean bytes per row and per attribute: as DynamoDB bills them, and as JSON on the wire. */
export interface RowBytes {
  readonly rows: number;
  readonly billed_mean: number;
  readonly billed_min: number;
  readonly billed_max: number;
  readonly wire_mean: number;
  /** Attribute -> [billed, wire] mean bytes, name included, largest first. */
  readonly by_attribute: Record<string, [number, number]>;
}

/** Sizes rows as read back from the document client (or already marshalled). */
export function rowBytes(items: readonly Record<string, unknown>[]): RowBytes {
  const rows = items.map(
    (i) => marshall(i, { removeUndefinedValues: true }) as Record<string, AttributeValue>,
  );
  const per = new Map<string, [number, number]>();
  const totals: number[] = [];
  let wireTotal = 0;
  for (const row of rows) {
    let total = 0;
    for (const [name, v] of Object.entries(row)) {
      const b = Buffer.byteLength(name) + billed(v);
      const w = Buffer.byteLength(JSON.stringify({ [name]: wire(v) })) - 2;
      const s = per.get(name) ?? [0, 0];
      per.set(name, [s[0] + b, s[1] + w]);
      total += b;
    }
    totals.push(total);
    wireTotal += Buffer.byteLength(JSON.stringify(wire({ M: row })));
  }
  const n = Math.max(1, rows.length);
  return {
    rows: rows.length,
    billed_mean: Math.round(totals.reduce((a, b) => a + b, 0) / n),
    billed_min: Math.min(...totals),
    billed_max: Math.max(...totals),
    wire_mean: Math.round(wireTotal / n),
    by_attribute: Object.fromEntries(
      [...per]
        .sort((a, b) => b[1][0] - a[1][0])
        .map(([k, [b, w]]) => [k, [Math.round(b / n), Math.round(w / n)] as [number, number]]),
    ),
  };
}
