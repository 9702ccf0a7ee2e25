import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { it } from 'vitest';
import { startCs3Double } from '../test/support/cs3-double';
import { credentialsFor, cs3StorageFor } from '../test/support/cs3-storage';

const MiB = 1024 * 1024;
const SIZE = Number(process.env['BENCH_MIB'] ?? '256') * MiB;

/** SIZE bytes in 1 MiB chunks, generated on the fly. */
function source(): Readable {
  const chunk = Buffer.alloc(MiB, 'x');
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= SIZE) {
        this.push(null);
        return;
      }
      sent += MiB;
      this.push(chunk);
    },
  });
}

/** Peak RSS growth over the baseline while `work` runs, sampled every 20 ms. */
async function measure(work: () => Promise<void>): Promise<{ ms: number; peakMiB: number }> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  return { ms, peakMiB: (peak - baseline) / MiB };
}

it('moves a large file through the CS3 adapter and the gateway double', async () => {
  const double = await startCs3Double();
  const adapter = cs3StorageFor(double);
  const creds = credentialsFor(double);
  try {
    const ref = { resourceId: await double.createFile('/big.bin', 'x') };
    const up = await measure(async () => {
      await adapter.storage.upload(ref, source(), { size: SIZE }, creds);
    });
    const down = await measure(async () => {
      const { body } = await adapter.storage.download(ref, creds);
      await pipeline(
        body,
        new Writable({
          write: (_chunk, _enc, done) => {
            done();
          },
        }),
      );
    });
    const rate = (ms: number) => (SIZE / MiB / (ms / 1000)).toFixed(0);
    console.log(
      `CS3 adapter + double, ${String(SIZE / MiB)} MiB: upload ${rate(up.ms)} MiB/s (peak RSS +${up.peakMiB.toFixed(0)} MiB), ` +
        `download ${rate(down.ms)} MiB/s (peak RSS +${down.peakMiB.toFixed(0)} MiB)`,
    );
  } finally {
    adapter.close();
    await double.dispose();
  }
});
