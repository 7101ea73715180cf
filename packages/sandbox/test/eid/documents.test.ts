/**
 * Integrated documents over real HTTP: a level-2 account asks to integrate each document type
 * (number formats checked), the request is pending until decided through the sandbox
 * controls, duplicates are refused, level < 2 gets `level_insufficient`, and
 * `listApprovedDocuments` (for share requests) returns the approved ones only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApprovedDocuments } from '../../src/flows/documents.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { bearer, identity, login } from './helpers.ts';

let sandbox: TestSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  token = await login(sandbox, identity(13), 'documents-device'); // active, level 2
});
afterAll(() => sandbox?.stop());

const request = (body: unknown, t = token) => sandbox.call('POST', '/v1/documents', body, bearer(t));

describe(`integrated documents (${store})`, () => {
  it('integrates each document type: pending → approved | rejected, listed for the account', async () => {
    const numbers = {
      driving_licence: '790123456789',
      vehicle_registration: '30A-123.45',
      health_insurance: 'DN4010123456789',
      tax_code: '0101234567',
    } as const;
    const ids: Record<string, string> = {};
    for (const [type, number] of Object.entries(numbers)) {
      const res = await request({ type, number });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ type, number, status: 'pending', decidedAt: null });
      ids[type] = res.body.documentId;
    }
    const duplicate = await request({ type: 'tax_code', number: '0101234567' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('conflict');

    for (const type of ['driving_licence', 'vehicle_registration', 'health_insurance']) {
      const res = await sandbox.call('POST', `/__sandbox/documents/${ids[type]}/decision`, {
        decision: 'approve',
      });
      expect(res.body.status).toBe('approved');
    }
    const rejected = await sandbox.call('POST', `/__sandbox/documents/${ids['tax_code']}/decision`, {
      decision: 'reject',
      reason: 'not found at the tax office',
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'not found at the tax office' });
    expect(
      (
        await sandbox.call('POST', `/__sandbox/documents/${ids['tax_code']}/decision`, {
          decision: 'approve',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await sandbox.call('POST', '/__sandbox/documents/AAAAAAAAAAAAAAAAAAAAAA/decision', {
          decision: 'approve',
        })
      ).status,
    ).toBe(404);

    const list = await sandbox.call('GET', '/v1/documents', undefined, bearer(token));
    expect(list.status).toBe(200);
    expect(list.body.documents).toHaveLength(4);
    // A rejected document may be requested again.
    expect((await request({ type: 'tax_code', number: '0101234567' })).status).toBe(201);

    const { rows } = await sandbox.db.query<{ id: string }>(
      'SELECT id FROM accounts WHERE personal_id = $1',
      [identity(13).personalId],
    );
    const approved = await listApprovedDocuments(sandbox.db, rows[0]!.id);
    expect(approved.map((d) => d.type).sort()).toEqual([
      'driving_licence',
      'health_insurance',
      'vehicle_registration',
    ]);
    expect(approved.every((d) => d.status === 'approved')).toBe(true);
  });

  it('checks the number format of each type', async () => {
    for (const [type, number] of [
      ['driving_licence', '79012345678'],
      ['vehicle_registration', 'ABCDEFG'],
      ['health_insurance', 'DN40101234'],
      ['tax_code', '01012345678'],
    ]) {
      const res = await request({ type, number });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_request', pointer: '/number' });
    }
    expect((await request({ type: 'passport', number: 'C1234567' })).body).toMatchObject({
      code: 'invalid_request',
      pointer: '/type',
    });
  });

  it('needs level 2 and a session', async () => {
    const level1 = await login(sandbox, identity(17), 'level1-device');
    const post = await request({ type: 'tax_code', number: '0101234568' }, level1);
    expect(post.status).toBe(403);
    expect(post.body.code).toBe('level_insufficient');
    const get = await sandbox.call('GET', '/v1/documents', undefined, bearer(level1));
    expect(get.body.code).toBe('level_insufficient');
    expect((await sandbox.call('GET', '/v1/documents')).status).toBe(401);
  });
});
