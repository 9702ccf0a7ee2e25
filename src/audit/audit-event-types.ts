/**
 * The event types this service publishes. Reva's names (cs3org/reva pkg/events) where reva has the
 * event, so oCIS's consumers decode them with reva's structs; `events.Document*` for the editor
 * session's own facts. Catalogue: docs/events.md.
 */
export const AUDIT_EVENT_TYPES = {
  opened: 'events.DocumentOpened',
  read: 'events.FileDownloaded',
  saved: 'events.FileUploaded',
  locked: 'events.FileLocked',
  lockRefreshed: 'events.DocumentLockRefreshed',
  unlocked: 'events.FileUnlocked',
  renamed: 'events.ItemMoved',
  savedAs: 'events.DocumentSavedAs',
  deleted: 'events.ItemTrashed',
  closed: 'events.DocumentClosed',
} as const;

export type AuditEventKind = keyof typeof AUDIT_EVENT_TYPES;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[AuditEventKind];
