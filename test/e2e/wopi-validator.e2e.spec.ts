import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeWopiHost,
  type FakeHost,
} from '../../tools/wopi-validator/testing/fake-wopi-host';
import { suiteXml } from '../../tools/wopi-validator/testing/scripted-host';
import { PROJECT_ROOT, run } from '../support/processes';
import { tempDir } from '../support/temp';

const RUNNER = join(PROJECT_ROOT, 'build', 'tools', 'wopi-validator.js');
const LAUNCHER = join(PROJECT_ROOT, 'build', 'tools', 'wopi-validator-launch.js');
const CLOSING = /^\d+ passed, \d+ failed, \d+ skipped$/;

/** A small suite of our own (the real one is ../shared's): two lock cases and one that skips. */
const SUITE = suiteXml(
  `<TestCase Name="LocksPrereq" Category="WopiCore"><Requests><CheckFileInfo><Validators><JsonResponseContentValidator>
     <BooleanProperty Name="SupportsLocks" ExpectedValue="true" IsRequired="true" /></JsonResponseContentValidator></Validators></CheckFileInfo></Requests></TestCase>
   <TestCase Name="ContainersPrereq" Category="WopiCore"><Requests><CheckFileInfo><Validators><JsonResponseContentValidator>
     <BooleanProperty Name="SupportsContainers" ExpectedValue="true" IsRequired="true" /></JsonResponseContentValidator></Validators></CheckFileInfo></Requests></TestCase>`,
  `<TestGroup Name="Locks"><PrereqTests><PrereqTest>LocksPrereq</PrereqTest></PrereqTests><TestCases>
     <TestCase Name="DoubleLock" Category="WopiCore"><Requests><Lock Lock="L" /><Lock Lock="L" /><Unlock Lock="L" /></Requests></TestCase>
     <TestCase Name="Mismatch" Category="WopiCore"><Requests><Lock Lock="L" />
       <Lock Lock="Other"><Validators><LockMismatchValidator ExpectedLock="L" /></Validators></Lock><Unlock Lock="L" /></Requests>
       <CleanupRequests><Unlock Lock="L" /></CleanupRequests></TestCase>
   </TestCases></TestGroup>
   <TestGroup Name="Containers"><PrereqTests><PrereqTest>ContainersPrereq</PrereqTest></PrereqTests><TestCases>
     <TestCase Name="Enumerate" Category="WopiCore"><Requests><EnumerateChildren /></Requests></TestCase>
   </TestCases></TestGroup>`,
);

let dir: Awaited<ReturnType<typeof tempDir>>;
let cases: string;

beforeAll(async () => {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build-tools.mjs')], {
    cwd: PROJECT_ROOT,
  });
  dir = await tempDir('wopi-validator-e2e-');
  cases = join(dir.dir, 'TestCases.xml');
  await writeFile(cases, SUITE);
});

afterAll(async () => {
  await dir.remove();
});

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';

describe('npm run wopi-validator (the runner CLI)', () => {
  let host: FakeHost;
  beforeAll(async () => {
    host = await startFakeWopiHost({ token: 'tok', faults: { wrongLockHeader: 'Wrong' } });
  });
  afterAll(async () => {
    await host.close();
  });

  it('should exit 1 on a failure, end with the closing line and write JUnit XML', async () => {
    const junit = join(dir.dir, 'out', 'junit.xml');
    const result = await run(
      RUNNER,
      ['--wopisrc', host.wopiSrc, '--token', 'tok', '--cases', cases, '--junit', junit],
      {},
    );
    expect(result.code).toBe(1);
    expect(lastLine(result.stdout)).toBe('1 passed, 1 failed, 1 skipped');
    expect(result.stdout).toMatch(
      /Containers\s+Enumerate\s+skip\s+prerequisite ContainersPrereq failed/,
    );
    expect(result.stdout).toMatch(
      /Locks\s+Mismatch\s+FAIL\s+Lock request failed\. 'X-WOPI-Lock' header value is different than expected/,
    );
    expect(result.stderr).toContain('discovery with the runner');
    expect(readFileSync(junit, 'utf8')).toContain(
      '<testsuites name="WOPI validator" tests="3" failures="1" skipped="1"',
    );
  });

  it('should read WOPI_VALIDATOR_CASES, and a --cases path relative to the working directory', async () => {
    const byEnv = await run(
      RUNNER,
      ['--wopisrc', host.wopiSrc, '--token', 'tok', '--case', 'DoubleLock', '--no-proof'],
      {
        WOPI_VALIDATOR_CASES: cases,
      },
    );
    expect(byEnv.code).toBe(0);
    expect(lastLine(byEnv.stdout)).toBe('1 passed, 0 failed, 0 skipped');
    const relative = await run(
      RUNNER,
      [
        '--wopisrc',
        host.wopiSrc,
        '--token',
        'tok',
        '--cases',
        'TestCases.xml',
        '--group',
        'Containers',
      ],
      {},
      dir.dir,
    );
    expect(lastLine(relative.stdout)).toBe('0 passed, 0 failed, 1 skipped');
    expect(relative.code).toBe(0);
  });

  it('should exit 2 for a filter that matches nothing, missing arguments or unreadable cases', async () => {
    const unknown = await run(
      RUNNER,
      ['--wopisrc', host.wopiSrc, '--token', 'tok', '--cases', cases, '--group', 'Nope'],
      {},
    );
    expect([unknown.code, unknown.stderr.trim()]).toEqual([2, 'no test group is named Nope']);
    expect((await run(RUNNER, ['--token', 'tok', '--cases', cases], {})).code).toBe(2);
    const missing = await run(
      RUNNER,
      ['--wopisrc', host.wopiSrc, '--token', 'tok', '--cases', join(dir.dir, 'none.xml')],
      {},
    );
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
  });
});

describe('npm run validate (the launcher)', () => {
  it('should run the suite against the built server on a temporary root and remove the root', async () => {
    const junit = join(dir.dir, 'launcher.xml');
    const result = await run(LAUNCHER, ['--cases', cases, '--junit', junit], {
      PATH: process.env['PATH'] ?? '',
    });
    expect(result.stderr).toMatch(/server on http:\/\/127\.0\.0\.1:\d+ \(local storage in /);
    expect(lastLine(result.stdout)).toMatch(CLOSING);
    expect(lastLine(result.stdout)).toBe('2 passed, 0 failed, 1 skipped');
    expect(result.code).toBe(0);
    const root = /local storage in (\S+)\)/.exec(result.stderr)?.[1] ?? '';
    expect(root).not.toBe('');
    expect(existsSync(root)).toBe(false);
    expect(existsSync(junit)).toBe(true);
  }, 60_000);

  it('should run the suite against the server on the CS3 adapter and the CS3 gateway double', async () => {
    const log = join(dir.dir, 'cs3-server.log');
    const result = await run(
      LAUNCHER,
      ['--cases', cases, '--storage', 'cs3', '--server-log', log],
      {
        PATH: process.env['PATH'] ?? '',
      },
    );
    expect(result.stderr).toMatch(
      /server on http:\/\/127\.0\.0\.1:\d+ \(cs3 storage in \S+; CS3 double on 127\.0\.0\.1:\d+, \S+\$\S+!\S+\)/,
    );
    expect(lastLine(result.stdout)).toBe('2 passed, 0 failed, 1 skipped');
    expect(result.code).toBe(0);
    // The double is a process of its own: it is gone with the run, and its reva token never shows.
    const gateway = /CS3 double on (\S+),/.exec(result.stderr)?.[1] ?? '';
    expect(gateway).not.toBe('');
    const [host, port] = gateway.split(':');
    const stillThere = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    expect(stillThere).toBe(false);
    expect(readFileSync(log, 'utf8')).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
  }, 90_000);

  it('should refuse a storage mode it does not have', async () => {
    const result = await run(LAUNCHER, ['--cases', cases, '--storage', 'nope'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('storage mode nope is not available here (known: local, cs3)');
  });
});
