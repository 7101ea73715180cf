import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, generateApiTypes } from '../scripts/gen.ts';

describe('generated API types', () => {
  it('src/generated/api.ts is what openapi-typescript makes of openapi.yaml now (run `pnpm --filter @vneid/client gen`)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vneid-gen-')), 'api.ts');
    writeFileSync(file, await generateApiTypes());
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(GENERATED_FILE, 'utf8'));
  });
});
