import { describe, expect, it } from 'vitest';
import { InvalidFileNameError } from '../wopi.errors';
import { baseName, dottedExtension, exactName, numberedName, suggestedName } from './file-names';

describe('file names', () => {
  it('should take exact names as given and refuse path-like ones', () => {
    expect(exactName('Quarterly report.docx')).toBe('Quarterly report.docx');
    for (const name of [
      '../x',
      'a/b',
      'a\\b',
      '..',
      'x..y',
      '',
      '.',
      'bell\u0007',
      'n'.repeat(251),
    ]) {
      expect(() => exactName(name), name).toThrow(InvalidFileNameError);
    }
    expect(exactName('n'.repeat(250))).toHaveLength(250);
  });

  it('should strip path parts from suggestions and read ".ext" as an extension', () => {
    expect(suggestedName('copy.docx', 'report.docx')).toBe('copy.docx');
    expect(suggestedName('.pdf', 'report.docx')).toBe('report.pdf');
    expect(suggestedName('.wopitestx', 'test.wopitest')).toBe('test.wopitestx');
    expect(suggestedName('../../etc/passwd', 'report.docx')).toBe('passwd');
    expect(suggestedName('C:\\Users\\x\\evil.docx', 'report.docx')).toBe('evil.docx');
    expect(suggestedName('folder/', 'report.docx')).toBe('report.docx');
    expect(suggestedName('..', 'report.docx')).toBe('report.docx');
  });

  it('should number and split names around the extension', () => {
    expect(numberedName('report.docx', 2)).toBe('report (2).docx');
    expect(numberedName('README', 1)).toBe('README (1)');
    expect(baseName('archive.tar.gz')).toBe('archive.tar');
    expect(baseName('.profile')).toBe('.profile');
    expect(dottedExtension('Report.DOCX')).toBe('.DOCX');
    expect(dottedExtension('README')).toBe('');
  });
});
