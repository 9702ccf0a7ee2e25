import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionEnv } from './executor';
import { parseSuite } from './parse-suite';
import { generateKeyPairs } from './proof/key-file';
import { systemClockSigner } from './proof/signing';
import { ResourceStore } from './resources';
import { NATIVE_CLIENT_USER_AGENT, runSuite, type CaseResult, type RunFilter } from './runner';
import {
  startScriptedHost,
  suiteXml,
  type Reply,
  type ScriptedHost,
  type SeenRequest,
} from './testing/scripted-host';
import { SchemaStore } from './validators/json-schemas';

let host: ScriptedHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

const ok: Reply = { status: 200 };

async function run(
  xml: string,
  reply: (request: SeenRequest) => Reply,
  filter: RunFilter = {},
  extra: Partial<ExecutionEnv['target']> = {},
): Promise<{ results: CaseResult[]; seen: SeenRequest[]; slept: number[] }> {
  const suite = parseSuite(xml, '/nowhere/TestCases.xml');
  host = await startScriptedHost(reply);
  const slept: number[] = [];
  const env: ExecutionEnv = {
    target: {
      wopiSrc: `${host.origin}/wopi/files/1`,
      token: 'tok-1',
      ttl: '77',
      resources: new ResourceStore(suite.resources, '/nowhere'),
      ...extra,
    },
    schemas: SchemaStore.of({}),
    http: { timeoutMs: 5000, insecure: false },
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    now: () => Date.now(),
  };
  return { results: await runSuite(suite, filter, env), seen: host.seen, slept };
}

const group = (name: string, cases: string, prereqs: string[] = [], attrs = ''): string =>
  `<TestGroup Name="${name}"${attrs}><PrereqTests>${prereqs.map((p) => `<PrereqTest>${p}</PrereqTest>`).join('')}</PrereqTests><TestCases>${cases}</TestCases></TestGroup>`;
const testCase = (name: string, requests: string, cleanup = '', category = 'WopiCore'): string =>
  `<TestCase Name="${name}" Category="${category}"><Requests>${requests}</Requests><CleanupRequests>${cleanup}</CleanupRequests></TestCase>`;
const header = (request: SeenRequest | undefined, name: string): string | undefined =>
  request?.rawHeaders.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
const status = (results: CaseResult[]): string[] =>
  results.map((result) => `${result.name}:${result.status}`);

describe('runSuite', () => {
  it('should run the group prerequisites before every case and skip the case when one fails', async () => {
    const prereqs =
      testCase('Passes', '<CheckFileInfo />') +
      testCase(
        'NeedsLocks',
        '<CheckFileInfo><Validators><JsonResponseContentValidator><BooleanProperty Name="SupportsLocks" ExpectedValue="true" IsRequired="true" /></JsonResponseContentValidator></Validators></CheckFileInfo>',
      );
    const { results, seen } = await run(
      suiteXml(
        prereqs,
        group('Ok', testCase('A', '<GetLock />'), ['Passes']) +
          group('Locks', testCase('B', '<GetLock />') + testCase('C', '<GetLock />'), [
            'Passes',
            'NeedsLocks',
          ]),
      ),
      (request) =>
        request.method === 'GET' ? { status: 200, body: { SupportsLocks: false } } : ok,
    );
    expect(status(results)).toEqual(['A:Pass', 'B:Skipped', 'C:Skipped']);
    expect(results[1]?.prereq).toBe('NeedsLocks');
    expect(results[1]?.reason).toBe(
      "prerequisite NeedsLocks failed: Incorrect value for 'SupportsLocks' property. Expected: 'True', Actual: 'False'",
    );
    expect(seen.map((request) => request.method)).toEqual([
      'GET',
      'POST',
      'GET',
      'GET',
      'GET',
      'GET',
    ]);
  });

  it('should look prerequisites up whatever the category filter, and keep WopiCore cases', async () => {
    const { results } = await run(
      suiteXml(
        testCase('CoauthPrereq', '<CheckFileInfo />', '', 'WopiCoauth'),
        group(
          'G',
          testCase('Core', '<GetLock />') +
            testCase('Online', '<GetLock />', '', 'OfficeOnline') +
            testCase('Native', '<GetLock />', '', 'OfficeNativeClient'),
          ['CoauthPrereq'],
        ),
      ),
      () => ok,
      { category: 'OfficeOnline' },
    );
    expect(status(results)).toEqual(['Core:Pass', 'Online:Pass']);
  });

  it('should stop a case at the first failing request, save state only after a pass and always run cleanup', async () => {
    const { results, seen } = await run(
      suiteXml(
        '',
        group(
          'G',
          testCase(
            'Stops',
            '<CheckFileInfo><SaveState><State Name="U" Source="Url" /></SaveState></CheckFileInfo><Lock Lock="L"><Validators><ResponseCodeValidator ExpectedCode="409" /></Validators><SaveState><State Name="Never" Source="Url" /></SaveState></Lock><GetLock />',
            '<Unlock Lock="L" OverrideUrl="$State:U" /><Unlock Lock="L" OverrideUrl="$State:Never" /><GetLock />',
          ),
        ),
      ),
      (request) =>
        request.method === 'GET'
          ? { status: 200, body: { Url: `${host?.origin ?? ''}/saved?access_token=s` } }
          : ok,
    );
    expect(results[0]?.status).toBe('Fail');
    expect(results[0]?.reason).toBe(
      'Lock request failed. Incorrect StatusCode. Expected: 409, Actual: 200',
    );
    // GetLock after the failure never ran; cleanup: the saved URL, then (missing key: swallowed), then GetLock.
    expect(
      seen.map(
        (request) =>
          `${request.method} ${request.url.split('?')[0] ?? ''} ${header(request, 'X-WOPI-Override') ?? ''}`,
      ),
    ).toEqual([
      'GET /wopi/files/1 ',
      'POST /wopi/files/1 LOCK',
      'POST /saved UNLOCK',
      'POST /wopi/files/1 GET_LOCK',
    ]);
  });

  it('should fall back to WopiSrc when a saved URL is null, but never for DeleteFile', async () => {
    const { results, seen } = await run(
      suiteXml(
        '',
        group(
          'G',
          testCase(
            'Fallback',
            '<CheckFileInfo><SaveState><State Name="U" Source="NoSuchProperty" /></SaveState></CheckFileInfo><GetFile OverrideUrl="$State:U" />',
            '<DeleteFile OverrideUrl="$State:U" />',
          ),
        ),
      ),
      (request) => (request.method === 'GET' ? { status: 200, body: {} } : ok),
    );
    expect(results[0]?.status).toBe('Pass');
    expect(seen.map((request) => request.url)).toEqual([
      '/wopi/files/1?access_token=tok%2D1&access_token_ttl=77',
      '/wopi/files/1/contents?access_token=tok%2D1&access_token_ttl=77',
    ]);
  });

  it('should use a saved URL as is, with its own token, and add the path to its path', async () => {
    const { seen } = await run(
      suiteXml(
        '',
        group(
          'G',
          testCase(
            'Saved',
            '<CheckFileInfo><SaveState><State Name="U" Source="Url" /></SaveState></CheckFileInfo><GetFile OverrideUrl="$State:U" />',
          ),
        ),
      ),
      (request) =>
        request.url.startsWith('/wopi')
          ? { status: 200, body: { Url: `${host?.origin ?? ''}/other/2?access_token=a%2Bb&x=1` } }
          : ok,
    );
    expect(seen[1]?.url).toBe('/other/2/contents?access_token=a%2Bb&x=1');
    expect(header(seen[1], 'Authorization')).toBe('Bearer a+b');
  });

  it('should fail a case whose OverrideUrl names state never saved, and go on with the next case', async () => {
    const { results } = await run(
      suiteXml(
        '',
        group(
          'G',
          testCase('Missing', '<GetFile OverrideUrl="$State:Nothing" />') +
            testCase('Next', '<CheckFileInfo />'),
        ),
      ),
      () => ok,
    );
    expect(status(results)).toEqual(['Missing:Fail', 'Next:Pass']);
    expect(results[0]?.reason).toMatch(
      /^runner: OverrideUrl \$State:Nothing: state Nothing was never saved/,
    );
  });

  it('should skip HasDelay groups unless asked, and then wait as told', async () => {
    const xml = suiteXml(
      '',
      group(
        'Slow',
        testCase('Waits', '<Delay DelayTimeInSeconds="2" /><GetLock />'),
        [],
        ' HasDelay="true"',
      ),
    );
    const skipped = await run(xml, () => ok);
    expect(skipped.results[0]?.status).toBe('Skipped');
    expect(skipped.seen).toHaveLength(0);
    await host?.close();
    const ran = await run(xml, () => ok, { includeDelay: true });
    expect(ran.results[0]?.status).toBe('Pass');
    expect(ran.slept).toEqual([2000]);
  });

  it('should not follow redirects', async () => {
    const { results, seen } = await run(
      suiteXml('', group('G', testCase('Moved', '<CheckFileInfo />'))),
      () => ({
        status: 302,
        headers: { Location: '/elsewhere' },
      }),
    );
    expect(results[0]?.reason).toBe(
      'CheckFileInfo request failed. Incorrect StatusCode. Expected: 200, Actual: 302',
    );
    expect(seen).toHaveLength(1);
  });
});

describe('requests on the wire', () => {
  it('should send bodies without Content-Type, Content-Length: 0 on empty POSTs and nothing extra on GETs', async () => {
    const { seen } = await run(
      suiteXml(
        '',
        group(
          'G',
          testCase(
            'Wire',
            '<PutFile Lock="L" ResourceId="WordSimpleDocument" /><Lock Lock="L" LockUserVisible="true" /><GetFile NewLock="N" /><RenameFile Name="madeup_renamed" />',
          ),
        ),
      ),
      () => ok,
    );
    const [put, lock, get, rename] = seen;
    expect(put?.rawHeaders.map(([name]) => name)).toEqual([
      'X-WOPI-Lock',
      'X-WOPI-Override',
      'Authorization',
      'Content-Length',
      'Host',
      'Connection',
    ]);
    expect(put?.body.toString()).toBe(
      'WordSimpleDocumentResources\\WordSimpleDocument.docxWordSimpleDocument.docx',
    );
    expect(header(put, 'Content-Length')).toBe('74');
    expect(header(lock, 'Content-Length')).toBe('0');
    expect(header(lock, 'X-WOPI-LockUserVisible')).toBe('True');
    expect(header(get, 'Content-Length')).toBeUndefined();
    expect(header(get, 'X-WOPI-Lock')).toBe('N');
    expect(header(rename, 'X-WOPI-RequestedName')).toBe('madeup+AF8-renamed');
    expect(header(rename, 'X-WOPI-Lock')).toBe('');
    expect(header(rename, 'X-WOPI-CoauthLockId')).toBe('');
    expect(seen.every((request) => header(request, 'Content-Type') === undefined)).toBe(true);
    expect(seen.every((request) => header(request, 'Authorization') === 'Bearer tok-1')).toBe(true);
  });

  it('should put a mutated access token into the URL and the Authorization header', async () => {
    const { seen } = await run(
      suiteXml(
        '',
        group(
          'G',
          testCase(
            'Token',
            '<CheckFileInfo><Mutators><AccessToken Mutation="INVALID" /></Mutators><Validators /></CheckFileInfo><CheckFileInfo><Mutators><AccessToken /></Mutators><Validators /></CheckFileInfo>',
          ),
        ),
      ),
      () => ({ status: 401 }),
    );
    expect(seen[0]?.url).toBe('/wopi/files/1?access_token=INVALID&access_token_ttl=77');
    expect(header(seen[0], 'Authorization')).toBe('Bearer INVALID');
    expect(seen[1]?.url).toMatch(
      /^\/wopi\/files\/1\?access_token=[0-9a-f-]{36}&access_token_ttl=77$/,
    );
  });

  it('should send PutRelativeFile targets in UTF-7 with the size, and both on Conflicting', async () => {
    const { seen } = await run(
      suiteXml(
        '',
        group(
          'G',
          testCase(
            'Relative',
            '<PutRelativeFile PutRelativeFileMode="ExactName" Name="madeup_name.wopitestx" OverwriteRelative="false" ResourceId="ZeroByteFile"><Validators /></PutRelativeFile><PutRelativeFile PutRelativeFileMode="Conflicting" Name="a.wopitest" ResourceId="WordSimpleDocument"><Validators /></PutRelativeFile>',
          ),
        ),
      ),
      () => ok,
    );
    expect(seen[0]?.rawHeaders.slice(0, 4)).toEqual([
      ['X-WOPI-Size', '0'],
      ['X-WOPI-RelativeTarget', 'madeup+AF8-name.wopitestx'],
      ['X-WOPI-OverwriteRelativeTarget', 'False'],
      ['X-WOPI-Override', 'PUT_RELATIVE'],
    ]);
    expect(header(seen[0], 'Content-Length')).toBe('0');
    expect(header(seen[1], 'X-WOPI-SuggestedTarget')).toBe('a.wopitest');
    expect(header(seen[1], 'X-WOPI-RelativeTarget')).toBe('a.wopitest');
  });

  it('should identify as the Office native client on OfficeNativeClient cases only', async () => {
    const { seen } = await run(
      suiteXml(
        '',
        group(
          'G',
          testCase('Native', '<CheckFileInfo />', '', 'OfficeNativeClient') +
            testCase('Core', '<CheckFileInfo />'),
        ),
      ),
      () => ok,
    );
    expect(header(seen[0], 'User-Agent')).toBe(NATIVE_CLIENT_USER_AGENT);
    expect(header(seen[1], 'User-Agent')).toBeUndefined();
  });

  it('should sign every WOPI request and re-sign with the mutator timestamp', async () => {
    const keys = generateKeyPairs();
    const { seen } = await run(
      suiteXml(
        '',
        group(
          'G',
          testCase(
            'Signed',
            '<CheckFileInfo /><CheckFileInfo><Mutators><ProofKey Timestamp="2015-08-17T00:00:00Z" MutateOld="true" /></Mutators></CheckFileInfo>',
          ),
        ),
      ),
      () => ok,
      {},
      { signer: systemClockSigner(keys.current, keys.old) },
    );
    expect(header(seen[0], 'X-WOPI-Proof')).toMatch(/^[A-Za-z0-9+/]{342}==$/);
    expect(BigInt(header(seen[0], 'X-WOPI-TimeStamp') ?? '0')).toBeGreaterThan(638712864000000000n);
    expect(header(seen[1], 'X-WOPI-TimeStamp')).toBe('635753664000000000');
    expect(header(seen[1], 'X-WOPI-ProofOld')).toBe('SU5WQUxJRA==');
  });
});
