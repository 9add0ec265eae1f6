import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';
// Before any connection: the state classes hear the socket's events.
import './state/wiring.ts';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
mount(App, { target });
