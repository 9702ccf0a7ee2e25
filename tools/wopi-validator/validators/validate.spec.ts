import { describe, expect, it } from 'vitest';
import { exceptionResponse } from '../http-client';
import type { PropertyDef, ValidatorDef } from '../model';
import { response, validationContext } from '../testing/responses';
import { validate, validateResponse } from './validate';

const header = (
  extra: Partial<Extract<ValidatorDef, { kind: 'ResponseHeader' }>>,
): ValidatorDef => ({
  kind: 'ResponseHeader',
  header: 'X-WOPI-ItemVersion',
  comparator: '=',
  isRequired: false,
  shouldMatch: true,
  ...extra,
});

const property = (
  extra: Partial<PropertyDef> & Pick<PropertyDef, 'kind' | 'name'>,
): ValidatorDef => ({
  kind: 'JsonResponseContent',
  shouldExist: true,
  properties: [
    {
      isRequired: false,
      shouldMatch: true,
      mustIncludeAccessToken: false,
      ignoreCase: false,
      ...extra,
    },
  ],
});

const ctx = validationContext();

describe('validateResponse', () => {
  it('should require 200 when a request has no <Validators>', () => {
    expect(validateResponse(undefined, response(200), ctx)).toEqual([]);
    expect(validateResponse(undefined, response(404), ctx)).toEqual([
      'Incorrect StatusCode. Expected: 200, Actual: 404',
    ]);
  });

  it('should not require 200 when <Validators> is present', () => {
    expect(validateResponse([header({})], response(500), ctx)).toEqual([]);
  });

  it('should fail a Content-Length that does not match the body', () => {
    expect(validateResponse([], response(200, { 'Content-Length': '9' }, 'abc'), ctx)).toEqual([
      "Actual content length '3' of response does not match value in header content-length '9'",
    ]);
  });

  it('should fail a request the runner could not send (306 with X-WOPI-ValidatorError)', () => {
    const errors = validateResponse(
      [header({})],
      exceptionResponse(new Error('ECONNREFUSED')),
      ctx,
    );
    expect(errors).toEqual([
      'ExceptionValidator: Exception thrown while executing: (Error) ECONNREFUSED',
    ]);
  });
});

describe('ResponseHeaderValidator', () => {
  it('should pass an absent header unless IsRequired', () => {
    expect(validate(header({ expectedValue: '1' }), response(200), ctx)).toEqual([]);
    expect(validate(header({ isRequired: true }), response(200), ctx)).toEqual([
      "'X-WOPI-ItemVersion' header is not present on the response",
    ]);
  });

  it('should compare case-insensitively, and ShouldMatch=false should fail on equality', () => {
    const res = response(200, { 'x-wopi-itemversion': 'AbC' });
    expect(validate(header({ expectedValue: 'abc' }), res, ctx)).toEqual([]);
    expect(validate(header({ expectedValue: 'abd' }), res, ctx)).toHaveLength(1);
    expect(validate(header({ expectedValue: 'abc', shouldMatch: false }), res, ctx)).toEqual([
      "'X-WOPI-ItemVersion' header value should not be : 'abc'",
    ]);
  });

  it('should prefer a non-empty saved state value and fall back to ExpectedValue', () => {
    const res = response(200, { 'X-WOPI-ItemVersion': '7' });
    const def = header({ expectedStateKey: 'V', expectedValue: '7' });
    expect(validate(def, res, validationContext({ V: '7' }))).toEqual([]);
    expect(validate(def, res, validationContext({ V: '8' }))).toHaveLength(1);
    expect(validate(def, res, validationContext({ V: null }))).toEqual([]);
    expect(validate(def, res, validationContext({}))).toEqual([]);
  });

  it('should compare numbers with the numeric comparators and reject non-numbers', () => {
    const res = response(200, { 'X-WOPI-ItemVersion': '5' });
    expect(validate(header({ comparator: '>', expectedValue: '4' }), res, ctx)).toEqual([]);
    expect(validate(header({ comparator: '<=', expectedValue: '4' }), res, ctx)).toHaveLength(1);
    expect(validate(header({ comparator: '>', expectedValue: 'x' }), res, ctx)[0]).toMatch(
      /can not be parsed/,
    );
    expect(validate(header({ comparator: '~' }), res, ctx)).toEqual([
      "Comparator '~' is not valid",
    ]);
  });
});

describe('LockMismatchValidator', () => {
  it('should want 409 and the current lock in X-WOPI-Lock', () => {
    const def: ValidatorDef = { kind: 'LockMismatch', expectedLock: 'LockString' };
    expect(validate(def, response(409, { 'X-WOPI-Lock': 'LockString' }), ctx)).toEqual([]);
    expect(validate(def, response(409), ctx)).toEqual([
      "'X-WOPI-Lock' header is not present on the response",
    ]);
    expect(validate(def, response(200, { 'X-WOPI-Lock': 'LockString' }), ctx)).toHaveLength(1);
  });

  it('should accept an absent or empty header when ExpectedLock is empty (PR #93)', () => {
    const def: ValidatorDef = { kind: 'LockMismatch', expectedLock: '' };
    expect(validate(def, response(409), ctx)).toEqual([]);
    expect(validate(def, response(409, { 'X-WOPI-Lock': '' }), ctx)).toEqual([]);
    expect(validate(def, response(409, { 'X-WOPI-Lock': 'other' }), ctx)).toHaveLength(1);
  });
});

describe('ResponseContentValidator', () => {
  it('should compare the body byte for byte with the synthesised resource', () => {
    const def: ValidatorDef = { kind: 'ResponseContent', resourceId: 'WordSimpleDocument' };
    const expected = 'WordSimpleDocumentResources\\WordSimpleDocument.docxWordSimpleDocument.docx';
    expect(expected).toHaveLength(74);
    expect(validate(def, response(200, {}, Buffer.from(expected)), ctx)).toEqual([]);
    expect(validate(def, response(200, {}, Buffer.from(`${expected} `)), ctx)[0]).toMatch(
      /Expected stream length: 74, actual stream length: 75/,
    );
  });
});

describe('JsonSchemaValidator', () => {
  const schemaCtx = validationContext(
    {},
    {
      S: {
        $schema: 'http://json-schema.org/draft-04/schema#',
        type: 'object',
        properties: { A: { not: {} }, U: { type: 'string', format: 'uri' } },
      },
    },
  );

  it('should validate with draft-04 and formats', () => {
    expect(
      validate(
        { kind: 'JsonSchema', schema: 'S' },
        response(200, {}, { U: 'https://x/y' }),
        schemaCtx,
      ),
    ).toEqual([]);
    expect(
      validate({ kind: 'JsonSchema', schema: 'S' }, response(200, {}, { A: false }), schemaCtx),
    ).not.toEqual([]);
    expect(
      validate(
        { kind: 'JsonSchema', schema: 'S' },
        response(200, {}, { U: 'not a uri' }),
        schemaCtx,
      ),
    ).not.toEqual([]);
  });

  it('should fail an empty body', () => {
    expect(validate({ kind: 'JsonSchema', schema: 'S' }, response(200), schemaCtx)).toEqual([
      "Couldn't read response content.",
    ]);
  });
});

describe('Or and And', () => {
  it('should pass Or when one child passes and And only when all do', () => {
    const res = response(404);
    const codes = (...expected: number[]): ValidatorDef[] =>
      expected.map((code) => ({ kind: 'ResponseCode', expected: code }));
    expect(validate({ kind: 'Or', children: codes(401, 404) }, res, ctx)).toEqual([]);
    expect(validate({ kind: 'Or', children: codes(401, 409) }, res, ctx)).toHaveLength(2);
    expect(validate({ kind: 'And', children: codes(404, 409) }, res, ctx)).toHaveLength(1);
  });
});

describe('JsonResponseContentValidator', () => {
  it('should want a JSON object body', () => {
    const def = property({ kind: 'StringProperty', name: 'A' });
    expect(validate(def, response(200), ctx)).toEqual([
      "Response body should exist, but couldn't read resource content.",
    ]);
    expect(validate(def, response(200, {}, '[1]'), ctx)[0]).toMatch(/JsonReaderException/);
    expect(
      validate(
        { kind: 'JsonResponseContent', shouldExist: false, properties: [] },
        response(200, {}, {}),
        ctx,
      ),
    ).toEqual(["Response body shouldn't exist."]);
  });

  it('should compare booleans across JSON types ("true" equals true) and require what IsRequired', () => {
    const def = property({
      kind: 'BooleanProperty',
      name: 'UserCanWrite',
      expectedValue: 'true',
      isRequired: true,
    });
    expect(validate(def, response(200, {}, { UserCanWrite: true }), ctx)).toEqual([]);
    expect(validate(def, response(200, {}, { UserCanWrite: 'True' }), ctx)).toEqual([]);
    expect(validate(def, response(200, {}, { UserCanWrite: false }), ctx)).toEqual([
      "Incorrect value for 'UserCanWrite' property. Expected: 'True', Actual: 'False'",
    ]);
    expect(validate(def, response(200, {}, {}), ctx)).toEqual([
      "Incorrect value for 'UserCanWrite' property. Required property missing",
    ]);
  });

  it('should treat null, "", [] and {} as missing', () => {
    for (const value of [null, '', [], {}]) {
      expect(
        validate(
          property({ kind: 'StringProperty', name: 'A', isRequired: true }),
          response(200, {}, { A: value }),
          ctx,
        ),
      ).toHaveLength(1);
      expect(
        validate(
          property({ kind: 'StringProperty', name: 'A', expectedValue: 'x' }),
          response(200, {}, { A: value }),
          ctx,
        ),
      ).toEqual([]);
    }
  });

  it('should check EndsWith, ignoring case when asked', () => {
    const def = property({
      kind: 'StringProperty',
      name: 'BaseFileName',
      endsWith: '.wopitest',
      ignoreCase: true,
      isRequired: true,
    });
    expect(validate(def, response(200, {}, { BaseFileName: 'x.WOPITEST' }), ctx)).toEqual([]);
    expect(validate(def, response(200, {}, { BaseFileName: 'x.docx' }), ctx)).toHaveLength(1);
  });

  it('should compare with a saved state value converted to the property type', () => {
    const def = property({ kind: 'StringProperty', name: 'Version', expectedStateKey: 'V' });
    expect(
      validate(def, response(200, {}, { Version: '12' }), validationContext({ V: '12' })),
    ).toEqual([]);
    expect(
      validate(def, response(200, {}, { Version: '13' }), validationContext({ V: '12' })),
    ).toHaveLength(1);
  });

  it('should fail a StringRegexProperty that is present but empty, and pass one that is absent', () => {
    const def = property({
      kind: 'StringRegexProperty',
      name: 'CloseUrl',
      expectedValue: '^https:\\/\\/.*\\.officeapps\\.live\\.com',
      shouldMatch: false,
    });
    expect(validate(def, response(200, {}, {}), ctx)).toEqual([]);
    expect(validate(def, response(200, {}, { CloseUrl: 'https://ocis.example/x' }), ctx)).toEqual(
      [],
    );
    expect(validate(def, response(200, {}, { CloseUrl: '' }), ctx)).toHaveLength(1);
    expect(validate(def, response(200, {}, { CloseUrl: null }), ctx)).toHaveLength(1);
    expect(
      validate(def, response(200, {}, { CloseUrl: 'https://a.officeapps.live.com/x' }), ctx),
    ).toHaveLength(1);
  });

  it('should want absolute URLs, with an access_token when asked', () => {
    const def = property({
      kind: 'AbsoluteUrlProperty',
      name: 'Url',
      isRequired: true,
      mustIncludeAccessToken: true,
    });
    expect(
      validate(def, response(200, {}, { Url: 'http://h/wopi/files/2?access_token=t' }), ctx),
    ).toEqual([]);
    expect(validate(def, response(200, {}, { Url: 'http://h/wopi/files/2' }), ctx)[0]).toMatch(
      /does not include the 'access_token'/,
    );
    expect(
      validate(def, response(200, {}, { Url: '/wopi/files/2?access_token=t' }), ctx)[0],
    ).toMatch(/as absolute URL/);
  });

  it('should want Unix milliseconds within ten years for AccessTokenExpiry when nothing is expected', () => {
    const def = property({ kind: 'LongProperty', name: 'AccessTokenExpiry', isRequired: true });
    expect(
      validate(def, response(200, {}, { AccessTokenExpiry: Date.UTC(2026, 5, 1) }), ctx),
    ).toEqual([]);
    expect(validate(def, response(200, {}, { AccessTokenExpiry: 1_700_000 }), ctx)).toHaveLength(1);
  });

  it('should find a value in an array case-insensitively and count array lengths', () => {
    const contains = property({
      kind: 'ArrayProperty',
      name: 'SupportedShareUrlTypes',
      containsValue: 'ReadOnly',
      isRequired: true,
    });
    expect(
      validate(contains, response(200, {}, { SupportedShareUrlTypes: ['readonly'] }), ctx),
    ).toEqual([]);
    expect(
      validate(contains, response(200, {}, { SupportedShareUrlTypes: ['ReadWrite'] }), ctx),
    ).toHaveLength(1);
    const length = property({
      kind: 'ArrayLengthProperty',
      name: 'A',
      expectedValue: '2',
      isRequired: true,
    });
    expect(validate(length, response(200, {}, { A: [1, 2] }), ctx)).toEqual([]);
    expect(validate(length, response(200, {}, { A: [1] }), ctx)).toHaveLength(1);
  });

  it('should compare a coauth table with "*" wildcards and in CoauthLockId order', () => {
    const def = property({
      kind: 'ResponseBodyProperty',
      name: 'CoauthTable',
      expectedValue: '[{"CoauthLockId":"b","Expiry":"*"},{"CoauthLockId":"a","Expiry":"*"}]',
    });
    const table = [
      { CoauthLockId: 'a', Expiry: 123 },
      { Expiry: 456, CoauthLockId: 'b' },
    ];
    expect(validate(def, response(200, {}, { CoauthTable: table }), ctx)).toEqual([]);
    expect(validate(def, response(200, {}, { CoauthTable: table.slice(1) }), ctx)).toHaveLength(1);
  });

  it('should report a path that selects several tokens', () => {
    const def = property({ kind: 'StringProperty', name: 'A[*]', isRequired: true });
    expect(validate(def, response(200, {}, { A: ['x', 'y'] }), ctx)[0]).toMatch(/JsonException/);
  });
});
