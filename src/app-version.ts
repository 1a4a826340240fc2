// The studio's version (package.json), injected by Vite at build time; "dev" where nothing injects it.
declare const __APP_VERSION__: string | undefined;

export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
