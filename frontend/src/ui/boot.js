// boot.js - what every page does first: the frame, libsodium, and the desk
// description with the pinned-key check. A page whose desk keys differ from
// the pins stops here with a clear error and sends nothing further.
//
// libsodium (≈550 KB) is loaded only by pages that use it: boot imports the
// crypto module dynamically, so esbuild keeps it in a chunk of its own, and
// a page that sends nothing and holds no keys (the start page, the
// statements) boots with crypto: false and never fetches it. Every page
// still checks the desk's keys against the pins: that costs one small API
// answer, no crypto.
import { loadDesk, PinsMismatch } from './desk.js';
import { mountPage, fatal } from './layout.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';

/**
 * Mounts the page and resolves to {desk, page} once the desk's keys match
 * the pins (after calling onReady({desk, page}) and rendering); on mismatch or when the desk cannot be reached, shows the error
 * and resolves to null. `render(main)` draws the page's own content.
 * `crypto: false`: the page uses no crypto, so libsodium is not loaded.
 */
export async function boot({ area, current, render, extraNav, onReady, role, crypto = true }) {
  let stopped = null;
  let loading = true;
  const page = mountPage({
    area, current, extraNav, role,
    render: (main) => {
      if (stopped) return fatal(main, stopped.title, stopped.body);
      if (loading) return replace(main, h('p', { role: 'status' }, t('app.loading')));
      return render(main);
    },
  });
  try {
    const [desk] = await Promise.all([loadDesk(),
      crypto ? import('../lib/meldcrypto.js').then((mc) => mc.ready()) : null]);
    loading = false;
    page.setContact(desk?.contact);
    onReady?.({ desk, page });
    page.main.dataset.ready = 'true';
    page.rerender();
    return { desk, page };
  } catch (e) {
    stopped = e instanceof PinsMismatch
      ? { title: 'pins.title', body: 'pins.body' }
      : { title: 'error.deskTitle', body: 'error.deskBody' };
    page.main.dataset.stopped = e instanceof PinsMismatch ? 'pins' : 'desk';
    page.rerender();
    return null;
  }
}
