// Minimal types for des.js (used only by tests, as an independent DES implementation to
// cross-check ours against).
declare module 'des.js' {
  interface DesCipher {
    update(data: ArrayLike<number>): number[];
    final(): number[];
  }
  interface DesFactory {
    create(options: {
      type: 'encrypt' | 'decrypt';
      key: ArrayLike<number>;
      iv?: ArrayLike<number>;
      padding?: boolean;
    }): DesCipher;
  }
  const des: {
    DES: DesFactory;
    EDE: DesFactory;
    CBC: { instantiate(base: DesFactory): DesFactory };
  };
  export default des;
}
