/**
 * @module
 * `POST /__sandbox/registry`: bulk-adds synthetic people to the sandbox population registry
 * (`registry_people`), unregistered and without a chip, in one statement.
 */
import type { RouteRegistrar } from '../http/context.ts';

interface RegistryPerson {
  personalId: string;
  fullName: string;
  sex: 'male' | 'female';
  birthDate: string;
  address: string;
  phone: string;
}

export function registryControlRoutes(r: RouteRegistrar): void {
  r.route<{ people: RegistryPerson[] }>('addRegistryPeople', async ({ body }, rc) => {
    const column = (pick: (p: RegistryPerson) => string) => body.people.map(pick);
    const { rowCount } = await rc.db.query(
      `INSERT INTO registry_people (personal_id, full_name, sex, birth_date, address, phone, fixture_state)
       SELECT *, 'unregistered' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (personal_id) DO NOTHING`,
      [
        column((p) => p.personalId),
        column((p) => p.fullName.normalize('NFC')),
        column((p) => p.sex),
        column((p) => p.birthDate),
        column((p) => p.address.normalize('NFC')),
        column((p) => p.phone),
      ],
    );
    return { body: { added: rowCount } };
  });
}
