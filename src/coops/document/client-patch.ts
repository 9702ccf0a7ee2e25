import type { Logger } from '@nestjs/common';
import { applyPatch, PatchFormatError, PatchMismatchError } from '../algorithm/dmp';
import { CoopsBadRequestError, PatchNotApplicableError } from '../coops.errors';
import type { CoopsDocument } from './coops-document';

/**
 * A client's patch applied to the document's content: 400 when it is not a patch text, 409 when it
 * does not apply exactly (logged: at the current revision that means the client diverged).
 */
export function applyClientPatch(doc: CoopsDocument, patch: string, logger: Logger): string {
  try {
    return applyPatch(doc.content, patch);
  } catch (error) {
    if (error instanceof PatchFormatError) {
      throw new CoopsBadRequestError([`patch is not a diff-match-patch text: ${error.message}`]);
    }
    if (error instanceof PatchMismatchError) {
      logger.warn(
        { fileId: doc.fileId, revision: doc.revision, reason: error.message },
        'a patch made at the current revision does not apply: the client diverged',
      );
      throw new PatchNotApplicableError(`the patch does not apply exactly: ${error.message}`);
    }
    throw error;
  }
}
