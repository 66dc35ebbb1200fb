// Entry point: styles, error toasts for every failed API call, the app.

import { render } from 'solid-js/web';

import { transport } from './lib/transport';
import { toast } from './state/toasts';
import { App } from './app';
import './styles/base.css';
import './styles/layout.css';
import './styles/overlays.css';
import './styles/toolbar.css';
import './styles/list.css';
import './styles/inspector.css';
import './styles/forms.css';

transport.onError((error) => toast('error', error.message));

const root = document.getElementById('root');
if (root) render(() => <App />, root);
