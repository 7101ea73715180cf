/**
 * The eID rules that need no server: the passcode policy, the normalisation of security
 * answers, name matching of evidence, the approval SMS text.
 */
import { describe, expect, it } from 'vitest';
import { approvalSms, sameName, stripDiacritics } from '../../src/flows/eid-application.ts';
import { passcodeRuleBroken } from '../../src/flows/passcode.ts';
import { normaliseAnswer } from '../../src/flows/security-questions.ts';

describe('passcode policy', () => {
  it.each([
    ['12345', 'format'],
    ['1234567', 'format'],
    ['12a456', 'format'],
    ['١٢٣٤٥٦', 'format'],
    ['000000', 'same_digit'],
    ['999999', 'same_digit'],
    ['123456', 'sequence'],
    ['654321', 'sequence'],
    ['890123', 'sequence'],
    ['210987', 'sequence'],
    ['121212', 'repeated_pattern'],
    ['123123', 'repeated_pattern'],
    ['020199', 'birth_date'],
    ['990102', 'birth_date'],
    ['010299', 'birth_date'],
    ['199901', 'birth_date'],
    ['001234', 'personal_data'],
    ['234535', 'personal_data'],
  ])('%s breaks %s', (passcode, rule) => {
    expect(
      passcodeRuleBroken(passcode, 6, {
        birthDate: '1999-01-02',
        personalId: '001099001234',
        phone: '0351234535',
      }),
    ).toBe(rule);
  });

  it.each(['246813', '135792', '918273', '120199'])('%s is accepted', (passcode) => {
    expect(
      passcodeRuleBroken(passcode, 6, {
        birthDate: '1999-01-02',
        personalId: '001099001234',
        phone: '0351234535',
      }),
    ).toBeNull();
  });
});

describe('security answers', () => {
  it('normalise NFC/NFD, spacing, case and diacritics to one form', () => {
    const forms = [
      '  Trường   Tiểu học\tĐống Đa ',
      'truong tieu hoc dong da',
      'TRƯỜNG TIỂU HỌC ĐỐNG ĐA'.normalize('NFD'),
    ];
    for (const f of forms) expect(normaliseAnswer(f)).toBe('truong tieu hoc dong da');
    expect(normaliseAnswer('Hà Nội')).not.toBe(normaliseAnswer('Hải Phòng'));
  });
});

describe('evidence names and the approval SMS', () => {
  it('compares names exactly, or without diacritics when one side has none', () => {
    expect(sameName('DƯƠNG THU D', 'Dương  Thu D')).toBe(true);
    expect(sameName('DƯƠNG THU D', 'DUONG THU D')).toBe(true);
    expect(sameName('DƯƠNG THU D', 'DƯỜNG THU D')).toBe(false);
    expect(sameName('NGUYỄN VĂN A', 'NGUYỄN VĂN B')).toBe(false);
  });

  it('writes the approval SMS in ASCII with the citizen name', () => {
    expect(stripDiacritics('Nguyễn Văn Đức')).toBe('Nguyen Van Duc');
    expect(approvalSms('Nguyễn Văn A', 1)).toBe(
      'Cuc Canh sat QLHC ve TTXH thong bao: Ho so dang ky tai khoan dinh danh dien tu cua cong dan Nguyen Van A da duoc phe duyet. De nghi truy cap ung dung VNeID hoac dia chi https://vneid.gov.vn de kich hoat tai khoan.',
    );
  });
});
