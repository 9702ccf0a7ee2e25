import { Module } from '@nestjs/common';
import { CoopsModule } from '../coops/coops.module';
import { WopiModule } from '../wopi/wopi.module';
import { AuditSink } from './audit-sink.port';
import { auditSinkProviders } from './audit-sink.providers';
import { AuditService } from './audit.service';
import { editorSessionsProviders } from './editor-sessions.providers';
import { EditorSessions } from './editor-sessions.service';

/** Audit: the open editor sessions (shared between replicas) and the audit events. */
@Module({
  imports: [WopiModule, CoopsModule],
  providers: [...editorSessionsProviders, ...auditSinkProviders, AuditService],
  exports: [EditorSessions, AuditSink],
})
export class AuditModule {}
