/** .NET `DateTime.Ticks` (100 ns units since 0001-01-01) of the Unix epoch. */
export const EPOCH_TICKS = 621_355_968_000_000_000n;

const MAX_INT64 = 2n ** 63n - 1n;

/** The X-WOPI-TimeStamp value editors send for a moment given in epoch milliseconds. */
export function ticksFromMs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * 10_000n + EPOCH_TICKS;
}

/** Epoch milliseconds of a ticks value (sub-millisecond precision dropped). */
export function msFromTicks(ticks: bigint): number {
  return Number((ticks - EPOCH_TICKS) / 10_000n);
}

/** Parses a decimal X-WOPI-TimeStamp; undefined unless it is a non-negative 64-bit integer. */
export function parseTicks(text: string): bigint | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,19}$/.test(trimmed)) {
    return undefined;
  }
  const value = BigInt(trimmed);
  return value > MAX_INT64 ? undefined : value;
}
