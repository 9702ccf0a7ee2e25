import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCs3Double, type Cs3Double } from '../../test/support/cs3-double';
import { credentialsFor, cs3StorageFor, type Cs3Storage } from '../../test/support/cs3-storage';
import { StorageTimeoutError, StorageUnavailableError } from '../storage/storage.errors';
import type { FileRef, HealthReport, StorageCredentials } from '../storage/storage.types';
import { Cs3GatewayClient } from './cs3-gateway.client';

/** Polls until the check passes (recovery happens in the background; no timing is asserted). */
async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) {
      return value;
    }
    await sleep(100);
  }
}

describe(`${Cs3GatewayClient.name} faults`, () => {
  let double: Cs3Double;
  let adapter: Cs3Storage;
  let creds: StorageCredentials;
  let ref: FileRef;

  beforeEach(async () => {
    double = await startCs3Double();
    adapter = cs3StorageFor(double, { COLLABORATION_CS3_TIMEOUT: '1s' });
    creds = credentialsFor(double);
    ref = { resourceId: await double.createFile('/a.docx', 'original') };
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    adapter.close();
    await double.dispose();
  });

  it('should report a gateway that is down as unavailable, log it once, and recover without a restart', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const recovered = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    expect((await adapter.storage.health()).status).toBe('up');
    await double.stop();
    const error = await adapter.storage.stat(ref, creds).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toContain(`CS3 gateway ${double.gatewayAddr} is unavailable`);
    const down = await adapter.storage.health();
    expect(down).toMatchObject({ status: 'down', driver: 'cs3', gateway: double.gatewayAddr });
    expect(String(down['error'])).toContain('unavailable');
    const lines = errors.mock.calls.filter(([, message]) =>
      String(message).includes('is unavailable'),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[0]).toMatchObject({ target: double.gatewayAddr, grpcCode: 'UNAVAILABLE' });

    await double.restart();
    const up = await eventually(
      () => adapter.storage.health(),
      (report: HealthReport) => report.status === 'up',
    );
    expect(up.status).toBe('up');
    expect((await adapter.storage.stat(ref, creds)).name).toBe('a.docx');
    expect(recovered).toHaveBeenCalledWith(
      expect.objectContaining({ target: double.gatewayAddr }),
      `CS3 gateway ${double.gatewayAddr} is reachable again`,
    );
  });

  it('should retry idempotent calls on an unavailable gateway, and nothing else', async () => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    double.faults.unavailable = true;
    await expect(adapter.storage.stat(ref, creds)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(double.callsOf('Stat')).toHaveLength(3);
    await expect(
      adapter.storage.setLock(
        ref,
        { lockId: 'L', appName: 'A', expiresAt: Date.now() + 60_000 },
        creds,
      ),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(double.callsOf('SetLock')).toHaveLength(1);
    double.faults.unavailable = false;
    expect((await adapter.storage.stat(ref, creds)).name).toBe('a.docx');
  });

  it('should stop waiting for a slow gateway at its own deadline, without retrying', async () => {
    double.faults.delayMs = 15_000;
    const error = await adapter.storage.stat(ref, creds).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageTimeoutError);
    expect((error as Error).message).toBe(
      `CS3 gateway ${double.gatewayAddr} did not answer Stat within 1000 ms`,
    );
    expect(double.callsOf('Stat')).toHaveLength(1);
    expect((await adapter.storage.health()).status).toBe('down');
  });

  it('should leave the stored file as it was when the upload is refused mid-stream', async () => {
    double.faults.refuseUploadAfter(64 * 1024);
    const big = Buffer.alloc(4 * 1024 * 1024, 'x');
    await expect(
      adapter.storage.upload(ref, Readable.from([big]), { size: big.length }, creds),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(double.transfers.at(-1)).toMatchObject({ method: 'PUT', status: 0 });
    expect((await double.readFile('/a.docx')).toString()).toBe('original');
    expect((await adapter.storage.stat(ref, creds)).size).toBe(8);
  });
});
