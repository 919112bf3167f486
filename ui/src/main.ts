import { mount } from 'svelte';
import App from './App.svelte';
import StartupError from './components/StartupError.svelte';
import { getBackend, getStartup } from './lib/backend';
import './theme.css';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing');
const root = target;

// The desktop shell may have failed to open the engine: then the window says why instead.
const startup = getStartup();
(startup ? startup.failure() : Promise.resolve(null))
  .catch((err: unknown) => {
    console.error('[inbox] could not ask how start-up went', err);
    return null;
  })
  .then((failure) => {
    if (startup && failure) mount(StartupError, { target: root, props: { failure, startup } });
    else mount(App, { target: root, props: { backend: getBackend() } });
  });
