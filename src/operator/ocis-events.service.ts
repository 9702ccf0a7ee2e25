import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { CoopsDocumentsControl } from '../coops/coops-documents.control';
import { METRICS } from '../metrics/metrics';
import { wopiFileId } from '../tokens/resource-id';
import { decodeOcisEvent } from './ocis-event';
import { OpenSessions } from './open-sessions.port';

/** How long the list of open WOPI sessions is reused between events. */
const SESSIONS_CACHE_MS = 2000;

export type EventReaction = 'reloaded' | 'closed' | 'noted';

/**
 * Reacts to oCIS events (reva's `main-queue`) about files open here: a file overwritten elsewhere
 * (FileUploaded, UploadReady, a restored version...) makes open CoOPS documents take the new
 * content now; a trashed file closes them. WOPI sessions need no action (each CheckFileInfo stats
 * the file, so the editor sees the new version or 404); they are logged and counted.
 */
@Injectable()
export class OcisEventsService {
  private readonly logger = new Logger(OcisEventsService.name);
  private sessionsCache?: { at: number; fileIds: Set<string> };

  constructor(
    private readonly sessions: OpenSessions,
    private readonly coops: CoopsDocumentsControl,
    @InjectMetric(METRICS.ocisEvents) private readonly counter: Counter<'type' | 'reaction'>,
  ) {}

  /** Handles one envelope; returns what was done per open file (empty when none concerned). */
  async handle(message: unknown): Promise<{ fileId: string; reaction: EventReaction }[]> {
    const event = decodeOcisEvent(message);
    if (!event || event.failed || event.own || event.resourceIds.length === 0) {
      return [];
    }
    const fileIds = [...new Set(event.resourceIds.map(wopiFileId))];
    const wopiOpen = await this.openWopiFiles();
    const results: { fileId: string; reaction: EventReaction }[] = [];
    for (const fileId of fileIds) {
      const inCoops = this.coops.isOpen(fileId);
      if (!inCoops && !wopiOpen.has(fileId)) {
        continue;
      }
      let reaction: EventReaction = 'noted';
      if (inCoops) {
        try {
          const acted =
            event.change === 'trashed'
              ? await this.coops.close(fileId)
              : await this.coops.reload(fileId);
          if (acted) {
            reaction = event.change === 'trashed' ? 'closed' : 'reloaded';
          }
        } catch (error) {
          this.logger.warn(
            { fileId, type: event.type, error: (error as Error).message },
            'could not apply an oCIS event to an open document',
          );
        }
      }
      this.counter.inc({ type: event.type, reaction });
      this.logger.log(
        { fileId, type: event.type, change: event.change, reaction, executant: event.executant },
        `an open file was ${event.change} elsewhere`,
      );
      results.push({ fileId, reaction });
    }
    return results;
  }

  private async openWopiFiles(): Promise<Set<string>> {
    const now = Date.now();
    if (this.sessionsCache && now - this.sessionsCache.at < SESSIONS_CACHE_MS) {
      return this.sessionsCache.fileIds;
    }
    const fileIds = new Set(
      await this.sessions.list().then(
        (list) => list.map((s) => s.fileId),
        () => [],
      ),
    );
    this.sessionsCache = { at: now, fileIds };
    return fileIds;
  }
}
