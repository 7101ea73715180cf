/**
 * `pnpm demo`: a walkthrough of what the SDK does today, each section a module in `scripts/demo/`.
 * Everything runs on synthetic data made on the spot: no real person's data is used.
 */
import { sections } from './demo/sections.ts';

for (const section of sections) {
  console.log(`\n=== ${section.title} ===`);
  await section.run();
}
console.log('\nDemo finished.');
