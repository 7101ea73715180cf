/** The demo's sections in order; each lives in its own file. */
export interface DemoSection {
  title: string;
  run(): Promise<void>;
}

export const sections: DemoSection[] = [];
