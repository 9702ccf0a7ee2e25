import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { BadRequestError, PayloadTooLargeError } from '../../common/errors/app-error';
import { announcedSize } from '../http/upload-body';
import { MAX_USER_INFO_BYTES, UserInfoStore } from '../user-info/user-info-store.port';
import type { VerifiedContext } from './verified';

/** PUT_USER_INFO: the body (UTF-8 text) becomes the user's UserInfo in CheckFileInfo. */
@Injectable()
export class PutUserInfoService {
  constructor(private readonly store: UserInfoStore) {}

  async putUserInfo(context: VerifiedContext, raw: IncomingMessage): Promise<void> {
    announcedSize(raw, MAX_USER_INFO_BYTES);
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > MAX_USER_INFO_BYTES) {
        throw new PayloadTooLargeError(
          `user info is limited to ${String(MAX_USER_INFO_BYTES)} bytes`,
        );
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks);
    const info = new TextDecoder('utf-8', { fatal: false }).decode(text);
    if (info.includes('\u0000')) {
      throw new BadRequestError('user info must be text');
    }
    await this.store.put(context.token.user.id, info);
    context.details.bytes = length;
  }
}
