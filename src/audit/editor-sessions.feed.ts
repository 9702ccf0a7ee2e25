import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { WopiOperationObserver } from '../wopi/wopi-operation.observer';
import { EditorSessions } from './editor-sessions.service';
import { sessionActivityOf } from './wopi-session-activity';

/** Feeds every answered WOPI request with a verified token to the editor-session tracker. */
@Injectable()
export class EditorSessionsFeed implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;

  constructor(
    private readonly observer: WopiOperationObserver,
    private readonly sessions: EditorSessions,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.observer.subscribe(async (record) => {
      const activity = sessionActivityOf(record);
      if (activity) {
        await this.sessions.track(activity);
      }
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
