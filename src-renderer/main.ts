// Renderer entry: mounts the Svelte app. Shared by the Electron window and the web edition.
import { mount } from 'svelte';
import '@xyflow/svelte/dist/style.css';
import './styles/theme.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html: element #app is missing; the renderer cannot start.');

export default mount(App, { target });
