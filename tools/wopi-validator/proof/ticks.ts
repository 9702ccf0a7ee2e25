/** .NET ticks (100 ns since 0001-01-01) at the Unix epoch. */
const EPOCH_TICKS = 621355968000000000n;

/** DateTime.UtcNow.Ticks for a Unix time in milliseconds. */
export function ticksFromMs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * 10000n + EPOCH_TICKS;
}

export function msFromTicks(ticks: bigint): number {
  return Number((ticks - EPOCH_TICKS) / 10000n);
}

/**
 * DateTime.TryParse(value).Ticks for the ProofKey mutator's Timestamp attribute; undefined when the
 * value does not parse (the mutator then keeps the current time). A value with a zone is taken as
 * that instant; .NET would shift it to the machine's local time, which only matters off UTC.
 */
export function ticksFromDateString(value: string): bigint | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ticksFromMs(ms);
}
