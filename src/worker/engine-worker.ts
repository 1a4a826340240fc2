// Web Worker entry: serves the StudioEngine protocol so inference never blocks the UI thread.
import { createWebEngine } from './web-engine';
import { serveEngine } from './engine-server';

serveEngine(createWebEngine(), self as unknown as DedicatedWorkerGlobalScope);
