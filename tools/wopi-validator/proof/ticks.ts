import { ticksFromMs } from '../../../src/discovery/ticks';

/** .NET ticks as the server's proof check reads them (src/discovery/ticks). */
export { msFromTicks, ticksFromMs } from '../../../src/discovery/ticks';

/**
 * DateTime.TryParse(value).Ticks for the ProofKey mutator's Timestamp attribute; undefined when the
 * value does not parse (the mutator then keeps the current time). A value with a zone is taken as
 * that instant; .NET would shift it to the machine's local time, which only matters off UTC.
 */
export function ticksFromDateString(value: string): bigint | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ticksFromMs(ms);
}
