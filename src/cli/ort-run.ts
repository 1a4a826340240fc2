// Runs one ONNX file in onnxruntime-node for export-scripts (Python has no onnxruntime here).
// Usage: tsx src/cli/ort-run.ts <job.json>, where job.json is
//   {"model": "/abs/model.onnx", "inputs": {"name": "/abs/in.npy"}, "outputs": {"name": "/abs/out.npy"}}
// Inputs are float32 or int64 .npy files; each named output is written as a float32 .npy file.
import { readFile, writeFile } from 'node:fs/promises';
import { parseNpy, writeNpy } from '../engine/formats/npy';
import { openOnnxFile, type NamedInputs } from '../runtime/ort-node';
import { describeError } from '../engine/api/describe-error';

interface Job {
  readonly model: string;
  readonly inputs: Record<string, string>;
  readonly outputs: Record<string, string>;
}

async function main(jobPath: string | undefined): Promise<void> {
  if (!jobPath) throw new Error('usage: ort-run.ts <job.json>');
  const job = JSON.parse(await readFile(jobPath, 'utf8')) as Job;
  const inputs: NamedInputs = {};
  for (const [name, file] of Object.entries(job.inputs)) {
    const array = parseNpy(new Uint8Array(await readFile(file)));
    if (!(array.data instanceof Float32Array || array.data instanceof BigInt64Array)) {
      throw new Error(`${file}: input ${name} must be float32 or int64, got ${array.dtype}`);
    }
    inputs[name] = { data: array.data, dims: array.shape };
  }
  const session = await openOnnxFile(job.model);
  try {
    const outputs = await session.run(inputs);
    for (const [name, file] of Object.entries(job.outputs)) {
      const output = outputs[name];
      if (!output)
        throw new Error(`${job.model} has no output "${name}" (has ${session.outputNames.join(', ')})`);
      await writeFile(file, writeNpy(output.data, output.dims));
    }
  } finally {
    await session.release();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`ort-run: ${describeError(error)}`);
  process.exit(1);
});
