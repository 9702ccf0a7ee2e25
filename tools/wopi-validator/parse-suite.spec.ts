import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test/support/shared';
import { loadCases } from './load';
import { parseSuite } from './parse-suite';
import { suiteXml } from './testing/scripted-host';

const oneCase = (requests: string, extra = ''): string =>
  suiteXml(
    '',
    `<TestGroup Name="G"><TestCases><TestCase Name="C" Category="WopiCore">${extra}<Requests>${requests}</Requests></TestCase></TestCases></TestGroup>`,
  );

describe('parseSuite', () => {
  it('should keep groups, cases and requests in file order with their attributes', () => {
    const suite = parseSuite(
      suiteXml(
        '<TestCase Name="P" Category="WopiCoauth"><Requests><CheckFileInfo /></Requests></TestCase>',
        `<TestGroup Name="B" HasDelay="true"><PrereqTests><PrereqTest>P</PrereqTest></PrereqTests><TestCases>
           <TestCase Name="B1" Category="OfficeOnline" FailMessage="nope">
             <Description>
               first line
               second line

               next paragraph
             </Description>
             <Requests><Lock Lock="L" LockUserVisible="1" /><Unlock Lock="L" /><CheckFileInfo /></Requests>
             <CleanupRequests><Unlock Lock="L" /></CleanupRequests>
           </TestCase></TestCases></TestGroup>
         <TestGroup Name="A"><TestCases><TestCase Name="A1" Category="wopicore"><Requests><GetLock /></Requests></TestCase></TestCases></TestGroup>`,
      ),
    );
    expect(suite.groups.map((group) => group.name)).toEqual(['B', 'A']);
    const [b1] = suite.groups[0]?.cases ?? [];
    expect(suite.groups[0]?.hasDelay).toBe(true);
    expect(suite.groups[0]?.prereqs.map((prereq) => prereq.name)).toEqual(['P']);
    expect(b1?.requests.map((request) => request.type)).toEqual([
      'Lock',
      'Unlock',
      'CheckFileInfo',
    ]);
    expect(b1?.requests[0]?.params).toMatchObject({ lock: 'L', lockUserVisible: true });
    expect(b1?.cleanup.map((request) => request.type)).toEqual(['Unlock']);
    expect(b1?.description).toBe('first line second line\nnext paragraph');
    expect(b1?.failMessage).toBe('nope');
    expect(suite.groups[1]?.cases[0]?.category).toBe('WopiCore');
  });

  it('should keep a RequestBody exactly, CDATA and surrounding whitespace included', () => {
    const suite = parseSuite(
      oneCase(
        '<AddActivities><RequestBody>\n  <![CDATA[{ "a": "<b>" }]]>\n</RequestBody></AddActivities>',
      ),
    );
    expect(suite.groups[0]?.cases[0]?.requests[0]?.params.requestBody).toBe('\n  { "a": "<b>" }\n');
  });

  it('should tell <Validators> absent (undefined) from present and empty', () => {
    const suite = parseSuite(
      oneCase('<CheckFileInfo /><CheckFileInfo><Validators /></CheckFileInfo>'),
    );
    const [plain, empty] = suite.groups[0]?.cases[0]?.requests ?? [];
    expect(plain?.validators).toBeUndefined();
    expect(empty?.validators).toEqual([]);
  });

  it.each([
    ['<Teleport />', "Unknown request: 'Teleport'"],
    [
      '<CheckFileInfo><Validators><Magic /></Validators></CheckFileInfo>',
      "Unknown validator: 'Magic'",
    ],
    [
      '<CheckFileInfo><Mutators><Gremlin /></Mutators></CheckFileInfo>',
      "Unknown mutator: 'Gremlin'",
    ],
    [
      '<CheckFileInfo><Validators><JsonResponseContentValidator><FloatProperty Name="A" /></JsonResponseContentValidator></Validators></CheckFileInfo>',
      "Unknown property type: 'FloatProperty'",
    ],
    [
      '<PutRelativeFile PutRelativeFileMode="Suggested" ResourceId="WordSimpleDocument" />',
      'cannot be null or empty',
    ],
    [
      '<PutRelativeFile PutRelativeFileMode="Sideways" Name="x" />',
      'PutRelativeFileMode="Sideways"',
    ],
    ['<PutUserInfo />', 'No RequestBody specified for PutUserInfo'],
    ['<Lock LockUserVisible="yes" />', 'not an XML boolean'],
    [
      '<CheckFileInfo><Validators><ResponseCodeValidator ExpectedCode="ok" /></Validators></CheckFileInfo>',
      'not an integer',
    ],
    ['', 'at least one request'],
  ])('should refuse %s', (requests, message) => {
    expect(() => parseSuite(oneCase(requests))).toThrow(message);
  });

  it('should refuse an unknown category and an unknown prerequisite', () => {
    expect(() =>
      parseSuite(
        suiteXml(
          '',
          '<TestGroup Name="G"><TestCases><TestCase Name="C" Category="Nope"><Requests><GetLock /></Requests></TestCase></TestCases></TestGroup>',
        ),
      ),
    ).toThrow('the category Nope is invalid');
    expect(() =>
      parseSuite(
        suiteXml(
          '',
          '<TestGroup Name="G"><PrereqTests><PrereqTest>Missing</PrereqTest></PrereqTests></TestGroup>',
        ),
      ),
    ).toThrow('could not find a prereq test case named Missing');
  });
});

const casesFile = sharedPath('wopi-validator', 'TestCases.xml');

describe.skipIf(casesFile === undefined)(
  'loadCases on Microsoft TestCases.xml (skipped without ../shared)',
  () => {
    it('should read 27 prerequisites and 33 groups with 224 cases in their categories', () => {
      const { suite } = loadCases(casesFile ?? '');
      const cases = suite.groups.flatMap((group) => group.cases);
      const count = (category: string): number =>
        cases.filter((testCase) => testCase.category === category).length;
      expect(suite.prereqs.size).toBe(27);
      expect(suite.groups).toHaveLength(33);
      expect(cases).toHaveLength(224);
      expect([
        count('WopiCore'),
        count('OfficeOnline'),
        count('OfficeNativeClient'),
        count('WopiCoauth'),
      ]).toEqual([121, 9, 2, 92]);
      expect(suite.groups.slice(0, 3).map((group) => group.name)).toEqual([
        'CheckFileInfoSchema',
        'BaseWopiViewing',
        'Locks',
      ]);
      expect(suite.groups.find((group) => group.name === 'CoauthLockExpiration')?.hasDelay).toBe(
        true,
      );
    });
  },
);
