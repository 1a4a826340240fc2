// 32-bit Mersenne Twister, seeded the way PyTorch's CPU generator seeds it (torch.manual_seed keeps
// the low 32 bits of the seed), so our noise starts from the same stream as the official sampler.
const N = 624;
const M = 397;

export class Mt19937 {
  private readonly state = new Uint32Array(N);
  private index = N;

  constructor(seed: number | bigint) {
    this.state[0] = Number(BigInt(seed) & 0xffffffffn);
    for (let i = 1; i < N; i++) {
      const prev = (this.state[i - 1] as number) ^ ((this.state[i - 1] as number) >>> 30);
      // 1812433253 * prev + i in uint32 arithmetic (split to stay exact in doubles).
      this.state[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
  }

  /** Next tempered 32-bit output. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < N; i++) {
      const y = ((s[i] as number) & 0x80000000) | ((s[(i + 1) % N] as number) & 0x7fffffff);
      let next = (s[(i + M) % N] as number) ^ (y >>> 1);
      if (y & 1) next ^= 0x9908b0df;
      s[i] = next >>> 0;
    }
    this.index = 0;
  }
}
