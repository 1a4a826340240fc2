// The 32-bit Mersenne Twister exactly as PyTorch's CPU generator runs it (at::mt19937): seeded with the
// low 32 bits of the 64-bit torch.manual_seed value, Knuth's initialisation multiplier 1812433253.
// Every random number PyTorch draws on the CPU starts here.

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class Mt19937 {
  private readonly state = new Uint32Array(N);
  private next = 0;
  private left = 1;

  /** `seed` is any integer; like PyTorch, only seed mod 2^32 is used. */
  constructor(seed: number) {
    const state = this.state;
    state[0] = seed >>> 0; // ToUint32 is the integer modulo 2^32, for negative and > 2^32 seeds too
    for (let j = 1; j < N; j++) {
      const prev = state[j - 1] as number;
      state[j] = Math.imul(1812433253, prev ^ (prev >>> 30)) + j;
    }
  }

  /** The next tempered 32-bit output, as an unsigned number. */
  nextUint32(): number {
    if (--this.left === 0) this.regenerate();
    let y = this.state[this.next++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private regenerate(): void {
    const s = this.state;
    const twist = (u: number, v: number) =>
      (((u & UPPER_MASK) | (v & LOWER_MASK)) >>> 1) ^ (v & 1 ? MATRIX_A : 0);
    let k = 0;
    for (; k < N - M; k++) s[k] = (s[k + M] as number) ^ twist(s[k] as number, s[k + 1] as number);
    for (; k < N - 1; k++) s[k] = (s[k + M - N] as number) ^ twist(s[k] as number, s[k + 1] as number);
    s[N - 1] = (s[M - 1] as number) ^ twist(s[N - 1] as number, s[0] as number);
    this.left = N;
    this.next = 0;
  }
}
