// Element-wise latent arithmetic on the GPU, on the same GPUDevice as onnxruntime-web's WebGPU
// provider. The sampler's updates (z + dt·v, guidance vu + g·(vc − vu), previews z + (1 − t)·v) and
// the batch concat/split of a guided call ([z; z] in, [vc; vu] out) run here, so the DiT's gpu-buffer
// outputs feed the next step without a round trip through the CPU.
import type { CpuTensor, LatentMath } from '../engine/latent/tensor';
import { batchRowSize, concatenatedDims, elementCount } from '../engine/latent/tensor';

/** A float32 latent living in a GPU buffer; `release` frees it (ORT-owned or ours). */
export interface GpuLatent {
  readonly buffer: GPUBuffer;
  readonly dims: readonly number[];
  readonly release: () => void;
}

const WORKGROUP_SIZE = 256;
const MAX_TERMS = 4;
const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** WGSL for out[i] = Σ_k c_k · x_k[i] with `terms` inputs; i spans a 2-D dispatch for large tensors. */
function linearCombinationShader(terms: number): string {
  const inputs = Array.from(
    { length: terms },
    (_, k) => `@group(0) @binding(${k + 2}) var<storage, read> x${k}: array<f32>;`,
  ).join('\n');
  const sum = Array.from({ length: terms }, (_, k) => `params.c[${k}] * x${k}[i]`).join(' + ');
  return `
struct Params { c: array<f32, ${MAX_TERMS}>, n: u32, rowStride: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
${inputs}
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x + id.y * params.rowStride;
  if (i >= params.n) { return; }
  out[i] = ${sum};
}`;
}

export class WebGpuLatentMath implements LatentMath<GpuLatent> {
  private readonly pipelines = new Map<number, GPUComputePipeline>();

  constructor(private readonly device: GPUDevice) {}

  /** Allocates a storage buffer able to hold `dims` float32 values (rounded up to 16 bytes). */
  allocate(dims: readonly number[]): GpuLatent {
    const size = Math.max(16, Math.ceil((elementCount(dims) * 4) / 16) * 16);
    const buffer = this.device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    return { buffer, dims: [...dims], release: () => buffer.destroy() };
  }

  upload(tensor: CpuTensor): GpuLatent {
    const latent = this.allocate(tensor.dims);
    this.device.queue.writeBuffer(
      latent.buffer,
      0,
      tensor.data.buffer,
      tensor.data.byteOffset,
      tensor.data.byteLength,
    );
    return latent;
  }

  async download(latent: GpuLatent): Promise<CpuTensor> {
    const byteLength = elementCount(latent.dims) * 4;
    const staging = this.device.createBuffer({
      size: Math.ceil(byteLength / 4) * 4,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(latent.buffer, 0, staging, 0, byteLength);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const data = new Float32Array(staging.getMappedRange(0, byteLength).slice(0));
    staging.unmap();
    staging.destroy();
    return { data, dims: [...latent.dims] };
  }

  async linearCombination(terms: ReadonlyArray<readonly [number, GpuLatent]>): Promise<GpuLatent> {
    const first = terms[0];
    if (!first || terms.length > MAX_TERMS) {
      throw new RangeError(`linearCombination takes 1 to ${MAX_TERMS} terms, got ${terms.length}`);
    }
    const n = elementCount(first[1].dims);
    const out = this.allocate(first[1].dims);
    const groups = Math.ceil(n / WORKGROUP_SIZE);
    const groupsX = Math.min(groups, MAX_WORKGROUPS_PER_DIMENSION);
    const groupsY = Math.ceil(groups / groupsX);

    // Params: c[4] f32, n u32, rowStride u32 → 24 bytes, padded to 32 for the uniform layout.
    const params = new ArrayBuffer(32);
    const coefficients = new Float32Array(params, 0, MAX_TERMS);
    terms.forEach(([c], k) => (coefficients[k] = c));
    new Uint32Array(params, 16, 2).set([n, groupsX * WORKGROUP_SIZE]);
    const uniform = this.device.createBuffer({
      size: 32,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.device.queue.writeBuffer(uniform, 0, params);

    const pipeline = this.pipeline(terms.length);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: uniform } },
        { binding: 1, resource: { buffer: out.buffer, size: n * 4 } },
        ...terms.map(([, x], k) => ({ binding: k + 2, resource: { buffer: x.buffer, size: n * 4 } })),
      ],
    });
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groupsX, groupsY);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    uniform.destroy();
    return out;
  }

  /** [B_k, ...rest] parts → [ΣB_k, ...rest]: buffer copies, queued in order with the kernels. */
  async concatBatch(parts: readonly GpuLatent[]): Promise<GpuLatent> {
    const out = this.allocate(concatenatedDims(parts.map((part) => part.dims)));
    const encoder = this.device.createCommandEncoder();
    let offset = 0;
    for (const part of parts) {
      const bytes = elementCount(part.dims) * 4;
      encoder.copyBufferToBuffer(part.buffer, 0, out.buffer, offset, bytes);
      offset += bytes;
    }
    this.device.queue.submit([encoder.finish()]);
    return out;
  }

  /** x [ΣB_k, ...rest] → new buffers [B_k, ...rest], copied on the GPU. */
  async splitBatch(x: GpuLatent, sizes: readonly number[]): Promise<GpuLatent[]> {
    const rowBytes = batchRowSize(x.dims, sizes) * 4;
    const encoder = this.device.createCommandEncoder();
    let offset = 0;
    const parts = sizes.map((size) => {
      const part = this.allocate([size, ...x.dims.slice(1)]);
      encoder.copyBufferToBuffer(x.buffer, offset, part.buffer, 0, size * rowBytes);
      offset += size * rowBytes;
      return part;
    });
    this.device.queue.submit([encoder.finish()]);
    return parts;
  }

  release(latent: GpuLatent): void {
    latent.release();
  }

  private pipeline(terms: number): GPUComputePipeline {
    let pipeline = this.pipelines.get(terms);
    if (!pipeline) {
      const module = this.device.createShaderModule({ code: linearCombinationShader(terms) });
      pipeline = this.device.createComputePipeline({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      this.pipelines.set(terms, pipeline);
    }
    return pipeline;
  }
}
