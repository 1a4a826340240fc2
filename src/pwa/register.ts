// Page side of the service worker (src/pwa/service-worker.ts), loaded by the studio and the demo page:
// registers <base>/sw.js; on a first visit to a host that sends no COOP/COEP it reloads once, so the page
// comes back through the worker with the cross-origin isolation headers and ONNX Runtime can use
// threads (as coi-serviceworker does); where that is impossible it says WASM runs on one thread; and it
// offers a new version of the app instead of forcing it (the update activates on the user's click).
import { describeError } from '../engine/api/describe-error';

const ACTIVATE_UPDATE = 'svg-studio:activate-update';
/** Set while the one isolation reload is pending, so a browser that never isolates does not loop. */
const RELOAD_MARK = 'svg-studio:isolation-reload';
/** Built chunks lie in <base>/assets/; the worker in <base>/sw.js (vite.config.ts). */
const WORKER_FROM_CHUNK = '../sw.js';

function notice(id: string, text: string, action?: { label: string; run: () => void }): void {
  if (document.getElementById(id)) return;
  const box = document.createElement('div');
  box.id = id;
  box.className = 'deploy-notice';
  box.setAttribute('role', 'status');
  // Styled through the CSSOM, so it needs no stylesheet (the demo page has none of the studio's).
  Object.assign(box.style, {
    position: 'fixed',
    insetInline: '0.5rem',
    bottom: '0.5rem',
    zIndex: '1000',
    display: 'flex',
    flexWrap: 'wrap',
    gap: '0.5rem',
    alignItems: 'center',
    padding: '0.5rem 0.75rem',
    maxWidth: '40rem',
    marginInline: 'auto',
    background: '#1f2937',
    color: '#f9fafb',
    borderRadius: '0.5rem',
    font: '14px/1.4 system-ui, sans-serif',
  } satisfies Partial<CSSStyleDeclaration>);
  const message = document.createElement('span');
  message.textContent = text;
  message.style.flex = '1 1 16rem';
  box.append(message);
  if (action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = action.label;
    button.addEventListener('click', action.run);
    box.append(button);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.setAttribute('aria-label', 'Dismiss this notice');
  close.addEventListener('click', () => box.remove());
  box.append(close);
  document.body.append(box);
}

function noteOneThread(why: string): void {
  notice(
    'single-thread-notice',
    `WebAssembly runs on one thread: ${why}. Generation works, only slower on the CPU (see README "Deploy" for the headers to send).`,
  );
}

function offerUpdate(waiting: ServiceWorker): void {
  notice('update-notice', 'A new version of SVG Studio is ready.', {
    label: 'Reload to update',
    run: () => {
      // Only this tab reloads, and only now: other open tabs keep running the version they have.
      navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
        once: true,
      });
      waiting.postMessage({ type: ACTIVATE_UPDATE });
    },
  });
}

function watchForUpdates(registration: ServiceWorkerRegistration): void {
  const offerWhenInstalled = (worker: ServiceWorker | null) => {
    if (!worker) return;
    const check = () => {
      // With no controller this is the first install, not an update.
      if (worker.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(worker);
    };
    check();
    worker.addEventListener('statechange', check);
  };
  offerWhenInstalled(registration.waiting);
  registration.addEventListener('updatefound', () => offerWhenInstalled(registration.installing));
}

function controlled(): Promise<void> {
  if (navigator.serviceWorker.controller) return Promise.resolve();
  return new Promise((resolve) =>
    navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
  );
}

async function register(): Promise<void> {
  if (!('serviceWorker' in navigator)) {
    if (!crossOriginIsolated)
      noteOneThread('this browser offers no service worker to add the isolation headers');
    return;
  }
  const workerUrl = new URL(WORKER_FROM_CHUNK, import.meta.url);
  let registration: ServiceWorkerRegistration | undefined;
  let failure = 'the browser refused it';
  try {
    registration = await navigator.serviceWorker.register(workerUrl, { updateViaCache: 'none' });
  } catch (error) {
    failure = describeError(error);
  }
  // Undefined where registration is blocked (browser policy, automation).
  if (!registration) {
    if (!crossOriginIsolated) noteOneThread(`the service worker could not be registered (${failure})`);
    return;
  }
  watchForUpdates(registration);
  if (crossOriginIsolated) {
    sessionStorage.removeItem(RELOAD_MARK);
    return;
  }
  if (sessionStorage.getItem(RELOAD_MARK)) {
    sessionStorage.removeItem(RELOAD_MARK);
    noteOneThread(
      'this host sends no cross-origin isolation headers and the service worker could not add them',
    );
    return;
  }
  // First visit: the page loaded before the worker existed. Once it controls the page, come back through it.
  await controlled();
  sessionStorage.setItem(RELOAD_MARK, '1');
  window.location.reload();
}

if (import.meta.env.PROD && window.isSecureContext) void register();
else if (import.meta.env.PROD && !crossOriginIsolated) {
  noteOneThread('service workers need a secure context (https or localhost)');
}
