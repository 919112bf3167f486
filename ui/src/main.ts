import { mount } from 'svelte';
import App from './App.svelte';
import { getBackend } from './lib/backend';
import './theme.css';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing');

mount(App, { target, props: { backend: getBackend() } });
