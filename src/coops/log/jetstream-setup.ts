import {
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type JetStreamClient,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { Logger } from '@nestjs/common';
import { UnavailableError } from '../../common/errors/app-error';
import type { NatsService } from '../../nats/nats.service';
import { RevisionConflictError } from '../coops.errors';
import { RETAINED_REVISIONS, RETAINED_SNAPSHOTS } from './revision-log.port';

export const COOPS_STREAM = 'COOPS';
export const SNAPSHOT_BUCKET = 'coops-snapshots';
export const SAVE_MARK_BUCKET = 'coops-files';

export interface JetStreamHandles {
  js: JetStreamClient;
  snapshots: KV;
  saveMarks: KV;
}

/**
 * The stream `COOPS` (subjects `coops.rev.>`, 10,400 messages per subject, 2-minute duplicate
 * window) and the KV buckets, created when missing and used as they are when another replica
 * created them first.
 */
export async function setUpJetStream(nats: NatsService): Promise<JetStreamHandles> {
  const connection = await nats.connected(undefined, 3000);
  const jsm = await jetstreamManager(connection);
  try {
    await jsm.streams.info(COOPS_STREAM);
  } catch {
    await jsm.streams
      .add({
        name: COOPS_STREAM,
        subjects: ['coops.rev.>'],
        max_msgs_per_subject: RETAINED_REVISIONS,
        duplicate_window: 120_000_000_000,
      })
      .catch(async (error: unknown) => {
        await jsm.streams.info(COOPS_STREAM).catch(() => {
          throw error;
        });
      });
  }
  const kvm = new Kvm(connection);
  const snapshots = await kvm.create(SNAPSHOT_BUCKET, { history: RETAINED_SNAPSHOTS });
  const saveMarks = await kvm.create(SAVE_MARK_BUCKET, { history: 1 });
  new Logger('JetStreamRevisionLog').log(
    { stream: COOPS_STREAM },
    'CoOPS revision log on JetStream ready',
  );
  return { js: jetstream(connection), snapshots, saveMarks };
}

export function subjectOf(fileId: string): string {
  return `coops.rev.${fileId}`;
}

export function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

export function unavailable(error: unknown): Error {
  if (error instanceof UnavailableError || error instanceof RevisionConflictError) {
    return error;
  }
  return new UnavailableError(
    `revision log unavailable: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}
