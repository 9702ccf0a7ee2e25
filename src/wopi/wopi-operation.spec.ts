import { describe, expect, it } from 'vitest';
import { operationOf, WRITE_OPERATIONS } from './wopi-operation';

describe('operationOf', () => {
  it('should name each route, method and override', () => {
    expect(operationOf('file', 'GET', undefined, false)).toBe('CheckFileInfo');
    expect(operationOf('contents', 'GET', undefined, false)).toBe('GetFile');
    expect(operationOf('contents', 'POST', 'PUT', false)).toBe('PutFile');
    expect(operationOf('contents', 'POST', 'LOCK', false)).toBe('Unknown');
    expect(operationOf('template', 'GET', undefined, false)).toBe('GetTemplate');
    expect(operationOf('file', 'POST', 'lock', false)).toBe('Lock');
    expect(operationOf('file', 'POST', 'LOCK', true)).toBe('UnlockAndRelock');
    expect(operationOf('file', 'POST', 'GET_LOCK', true)).toBe('GetLock');
    expect(operationOf('file', 'POST', ' put_relative ', false)).toBe('PutRelativeFile');
    expect(operationOf('file', 'POST', 'RENAME_FILE', false)).toBe('RenameFile');
    expect(operationOf('file', 'POST', 'DELETE', false)).toBe('DeleteFile');
    expect(operationOf('file', 'POST', 'PUT_USER_INFO', false)).toBe('PutUserInfo');
    expect(operationOf('file', 'POST', 'GET_SHARE_URL', false)).toBe('Unknown');
    expect(operationOf('file', 'POST', undefined, false)).toBe('Unknown');
  });

  it('should count every operation that changes a file or its lock as a write', () => {
    expect([...WRITE_OPERATIONS].sort()).toEqual(
      [
        'DeleteFile',
        'Lock',
        'PutFile',
        'PutRelativeFile',
        'RefreshLock',
        'RenameFile',
        'Unlock',
        'UnlockAndRelock',
      ].sort(),
    );
  });
});
