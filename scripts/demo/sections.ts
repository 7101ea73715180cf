import { cardDemo } from './card.ts';
import { identityDemo } from './identity.ts';
import { otpDemo } from './otp.ts';
import { qrDemo } from './qr.ts';

/** One section of `pnpm demo`. */
export interface DemoSection {
  title: string;
  run(): Promise<void>;
}

/** The demo's sections in order; each lives in its own file. */
export const sections: DemoSection[] = [qrDemo, cardDemo, otpDemo, identityDemo];
